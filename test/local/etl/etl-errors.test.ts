import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRawToSilver } from '../../../local/etl/raw-to-silver.js';
import { runSilverToGold } from '../../../local/etl/silver-to-gold.js';

const dir = mkdtempSync(join(tmpdir(), 'pricesense-etl-errors-'));

describe('ETL failures', () => {
  it('names the job, the step and the missing raw file', async () => {
    const rawPath = join(dir, 'missing.csv');
    await expect(runRawToSilver({ rawPath, silverDir: join(dir, 'silver'), runId: 'r' })).rejects.toThrow(
      `pricesense-raw-to-silver: step read raw CSV ${rawPath} failed`,
    );
  });

  it('says that silver is empty and which run to run first', async () => {
    const silverDir = join(dir, 'no-silver');
    await expect(runSilverToGold({ silverDir, goldDir: join(dir, 'gold'), runId: 'r7' })).rejects.toThrow(
      `no silver Parquet files under ${silverDir}: run raw-to-silver for run r7 first`,
    );
  });
});
