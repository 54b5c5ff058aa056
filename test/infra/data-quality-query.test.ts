import { describe, expect, it } from 'vitest';
import { dataQualityExecutionParameters, singleLineSql } from '../../infra/data-quality-query.js';
import { DEFAULT_CONFIG } from '../../workflow/config.js';

describe('singleLineSql', () => {
  it('drops line comments but keeps -- inside string literals', () => {
    const sql = "-- header\nSELECT '--x' AS a, -- trailing\n  1 AS b\n";

    expect(singleLineSql(sql)).toBe("SELECT '--x' AS a, 1 AS b");
  });
});

describe('dataQualityExecutionParameters', () => {
  it('quotes the run id and lists the thresholds in declaration order', () => {
    expect(dataQualityExecutionParameters("run-'1", DEFAULT_CONFIG.dataQuality)).toEqual(["'run-''1'", '1000', '0.05', '0.5', '0.01']);
  });
});
