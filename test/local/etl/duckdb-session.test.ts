import { describe, expect, it } from 'vitest';
import { DuckDbSession, etlMemoryLimitBytes } from '../../../local/etl/duckdb-session.js';

const MIB = 1024 * 1024;

describe('etlMemoryLimitBytes', () => {
  it('takes a quarter of the machine, at most 1 GiB and at least 256 MiB', () => {
    expect(etlMemoryLimitBytes({}, 2048 * MIB)).toBe(512 * MIB);
    expect(etlMemoryLimitBytes({}, 64 * 1024 * MIB)).toBe(1024 * MIB);
    expect(etlMemoryLimitBytes({}, 512 * MIB)).toBe(256 * MIB);
  });

  it('follows PRICESENSE_DUCKDB_MEMORY_MB when set', () => {
    expect(etlMemoryLimitBytes({ PRICESENSE_DUCKDB_MEMORY_MB: '3000' }, 2048 * MIB)).toBe(3000 * MIB);
  });
});

describe('DuckDbSession bounded', () => {
  it('sets the memory limit and a spill directory of its own', async () => {
    const session = await DuckDbSession.open({ bounded: true });
    try {
      const [row] = await session.rows("SELECT current_setting('memory_limit') AS limit_text, current_setting('temp_directory') AS spill");

      const [, amount, unit] = /^([\d.]+) (MiB|GiB)$/.exec(String(row!.limit_text))!;
      const bytes = Number(amount) * (unit === 'GiB' ? 1024 : 1) * MIB;
      expect(Math.abs(bytes - etlMemoryLimitBytes()) / etlMemoryLimitBytes()).toBeLessThan(0.01);
      expect(String(row!.spill)).toMatch(/pricesense-duckdb[/\\]session-/);
    } finally {
      session.close();
    }
  });
});
