import { describe, expect, it } from 'vitest';
import { SILVER_TO_GOLD_BINDINGS } from '../../../local/etl/silver-to-gold-bindings.js';
import { loadSqlSteps, SILVER_TO_GOLD_SQL_DIR } from '../../../local/etl/sql-steps.js';

describe('SilverToGold step bindings', () => {
  it('decides, for every SQL step and no other, how its result is kept', () => {
    expect(Object.keys(SILVER_TO_GOLD_BINDINGS).sort()).toEqual(loadSqlSteps(SILVER_TO_GOLD_SQL_DIR).map((step) => step.name).sort());
  });

  it('writes gold_baskets as the ordered output that the CSV writes rely on for their row order', () => {
    expect(SILVER_TO_GOLD_BINDINGS.gold_baskets).toBe('output');
  });
});
