/**
 * Issue 14 case 3 through the CLI: a file whose invalid rows (past ValidateInput's sample) make
 * up more than 1 % of it ends at DataQualityFailed naming max_rejected_share and the share, and
 * nothing is trained; a clean file passes. `pricesense run` reports rows in and rejected per
 * reason, for people (stderr) and in the --json summary.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSession } from '../../../local/etl/duckdb-session.js';
import { generateDataset } from '../../../local/generator/generate-dataset.js';

const CLI = join(process.cwd(), 'bin', 'pricesense.mjs');
const root = mkdtempSync(join(tmpdir(), 'pricesense-rejected-share-'));
const config = join(root, 'config.json');

interface Summary {
  status: string;
  failedState: string | null;
  error: string | null;
  cause: string | null;
  gate: string | null;
  rows: { in: number; rejected: number; rejectedShare: number; rejectedByReason: Record<string, number>; duplicatesRemoved: number; out: number } | null;
}

function run(input: string, executionName: string): { code: number | null; stderr: string; summary: Summary } {
  const result = spawnSync(
    process.execPath,
    [CLI, 'run', '--input', input, '--config', config, '--deploy-target', 'none', '--execution-name', executionName, '--state-dir', join(root, 'state'), '--json'],
    { encoding: 'utf8', timeout: 300_000 },
  );
  const last = result.stdout.trim().split('\n').at(-1) ?? '{}';
  return { code: result.status, stderr: result.stderr, summary: JSON.parse(last) as Summary };
}

beforeAll(async () => {
  writeFileSync(config, JSON.stringify({ thresholds: { accuracy: 0.5, macroF1: 0.45, classPrecision: 0.4 }, dataQuality: { minBaskets: 200 } }));
  await generateDataset({ rows: 20_000, seed: 7, labelNoise: 0.05, out: join(root, 'clean.csv') });
  // 1,000 lines (5 %) with a non-numeric SPEND, all after line 2,000: ValidateInput samples the
  // first 1,000 rows and passes the file, RawToSilver rejects them as invalid_spend.
  const session = await DuckDbSession.open();
  try {
    await session.run(
      `COPY (SELECT * EXCLUDE (n) REPLACE (CASE WHEN n > 2000 AND n % 18 = 0 THEN 'abc' ELSE SPEND END AS SPEND) FROM (SELECT *, row_number() OVER () AS n FROM read_csv('${join(root, 'clean.csv')}', header = true, all_varchar = true))) TO '${join(root, 'spoiled.csv')}' (FORMAT CSV, HEADER true)`,
    );
  } finally {
    session.close();
  }
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('pricesense run: share of rows rejected in silver', () => {
  it('stops at DataQualityFailed naming max_rejected_share and the share, and reports the rejects per reason', () => {
    const { code, stderr, summary } = run(join(root, 'spoiled.csv'), 'spoiled');

    expect([code, summary.status, summary.failedState, summary.error, summary.gate]).toEqual([1, 'FAILED', 'DataQualityFailed', 'DataQualityFailed', null]);
    expect(summary.cause).toBe('Data-quality rules breached: max_rejected_share measured 0.05 (threshold 0.01)');
    expect(summary.rows).toEqual({
      in: 20_000,
      rejected: 1_000,
      rejectedShare: 0.05,
      rejectedByReason: {
        invalid_shop_week: 0,
        invalid_shop_date: 0,
        invalid_weekday_or_hour: 0,
        invalid_quantity: 0,
        invalid_spend: 1_000,
        missing_required_code: 0,
        invalid_code: 0,
        control_character: 0,
        inconsistent_basket: 0,
      },
      // The generator repeats a few lines exactly: removed, not rejected.
      duplicatesRemoved: summary.rows?.duplicatesRemoved,
      out: 19_000 - summary.rows!.duplicatesRemoved,
    });
    expect(stderr).toContain(`  rows           20,000 in, 1,000 rejected (5.0%): invalid_spend 1,000; ${summary.rows!.duplicatesRemoved} duplicates removed; `);
    expect(existsSync(join(root, 'state', 'sagemaker', 'training-jobs', 'ps-train-spoiled.json'))).toBe(false);
  }, 300_000);

  it('passes a clean file, reporting 0 rejected', () => {
    const { code, stderr, summary } = run(join(root, 'clean.csv'), 'clean');

    expect([code, summary.status, summary.gate, summary.rows?.in, summary.rows?.rejected, summary.rows?.rejectedShare]).toEqual([0, 'SUCCEEDED', 'passed', 20_000, 0, 0]);
    expect(stderr).toContain('  rows           20,000 in, 0 rejected (0.0%); ');
  }, 300_000);
});
