import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { RAW_COLUMNS } from '../../../workflow/dataset-schema.js';
import { runRawToSilver } from '../../../local/etl/raw-to-silver.js';
import { runSilverToGold } from '../../../local/etl/silver-to-gold.js';
import { writeRawCsv } from './raw-rows.js';

const dir = mkdtempSync(join(tmpdir(), 'pricesense-etl-errors-'));

describe('ETL failures', () => {
  it('names the job, the step and the missing raw file', async () => {
    const rawPath = join(dir, 'missing.csv');
    await expect(runRawToSilver({ rawPath, silverDir: join(dir, 'silver'), runId: 'r' })).rejects.toThrow(
      `pricesense-raw-to-silver: step read raw CSV ${rawPath} failed`,
    );
  });

  it('names the expected and the found header when a column is renamed', async () => {
    const rawPath = join(dir, 'renamed.csv');
    writeRawCsv(rawPath, [{ BASKET_ID: '1' }]);
    writeFileSync(rawPath, readFileSync(rawPath, 'utf8').replace('SPEND', 'AMOUNT'));
    await expect(runRawToSilver({ rawPath, silverDir: join(dir, 'silver-renamed'), runId: 'r' })).rejects.toThrow(
      `the header must be the 22 schema columns ${RAW_COLUMNS.join(',')}; found "${RAW_COLUMNS.join(',').replace('SPEND', 'AMOUNT')}"`,
    );
  });

  it('names the raw file, the line and the column counts of a ragged line', async () => {
    const rawPath = join(dir, 'ragged.csv');
    writeRawCsv(rawPath, [{ BASKET_ID: '1' }, { BASKET_ID: '2' }]);
    appendFileSync(rawPath, '202601,20260330,2,10,1,1.00,extra\n');
    const failure = runRawToSilver({ rawPath, silverDir: join(dir, 'silver-ragged'), runId: 'r' });
    await expect(failure).rejects.toThrow(`(raw CSV ${rawPath}) failed`);
    await expect(failure).rejects.toThrow(/CSV Error on Line: 4[\s\S]*Expected Number of Columns: 22 Found: 7/);
  });

  it('reads a gzipped raw file', async () => {
    const plain = join(dir, 'plain.csv');
    writeRawCsv(plain, [{ BASKET_ID: '1' }, { BASKET_ID: '2' }]);
    writeFileSync(join(dir, 'packed.csv.gz'), gzipSync(readFileSync(plain)));
    const stats = await runRawToSilver({ rawPath: join(dir, 'packed.csv.gz'), silverDir: join(dir, 'silver-gz'), runId: 'r' });
    expect(stats.rowsOut).toBe(2);
  });

  it('says that silver is empty and which run to run first', async () => {
    const silverDir = join(dir, 'no-silver');
    await expect(runSilverToGold({ silverDir, goldDir: join(dir, 'gold'), runId: 'r7' })).rejects.toThrow(
      `no silver Parquet files under ${silverDir}: run raw-to-silver for run r7 first`,
    );
  });
});
