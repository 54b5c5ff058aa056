import { describe, expect, it } from 'vitest';
import { singleLineSql } from '../../infra/data-quality-query.js';

describe('singleLineSql', () => {
  it('drops line comments but keeps -- inside string literals', () => {
    const sql = "-- header\nSELECT '--x' AS a, -- trailing\n  1 AS b\n";

    expect(singleLineSql(sql)).toBe("SELECT '--x' AS a, 1 AS b");
  });
});
