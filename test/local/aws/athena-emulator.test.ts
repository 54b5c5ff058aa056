import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AthenaEmulator, bindExecutionParameters, DEFAULT_OUTPUT_LOCATION } from '../../../local/aws/athena.js';
import { GlueEmulator } from '../../../local/aws/glue.js';
import { localObjectPath, parseS3Uri } from '../../../local/aws/s3-location.js';
import { DuckDbSession } from '../../../local/etl/duckdb-session.js';

const stateDir = mkdtempSync(join(tmpdir(), 'pricesense-athena-'));
const table = { database: 'shop', name: 'sales', location: 's3://lake/sales/', partitionKeys: ['run_id'] };
const athena = new AthenaEmulator({ stateDir, tables: [table], workGroups: [{ name: 'team', outputLocation: 's3://results/team/' }] });

async function query(QueryString: string, extra: Record<string, unknown> = {}) {
  const { QueryExecutionId } = (await athena.call('StartQueryExecution', { QueryString, ...extra })) as { QueryExecutionId: string };
  await athena.whenIdle();
  return QueryExecutionId;
}

const values = (output: Record<string, unknown>) =>
  (output.ResultSet as { Rows: Array<{ Data: Array<{ VarCharValue?: string }> }> }).Rows.map((row) => row.Data.map((cell) => cell.VarCharValue ?? null));

beforeAll(async () => {
  const session = await DuckDbSession.open();
  for (const runId of ['a', 'b']) {
    const dir = localObjectPath(stateDir, 'lake', `sales/run_id=${runId}/`);
    mkdirSync(dir, { recursive: true });
    await session.run(
      `COPY (SELECT i AS id, i * 1.5 AS amount, CASE WHEN i = 3 THEN NULL ELSE 'x' || i END AS tag FROM range(1, ${runId === 'a' ? 5 : 3}) t(i)) TO '${join(dir, 'part.parquet')}' (FORMAT PARQUET)`,
    );
  }
  session.close();
});

describe('AthenaEmulator queries', () => {
  it('returns the header row first, then the values as VarCharValue strings', async () => {
    const id = await query("SELECT id, amount FROM shop.sales WHERE run_id = 'a' ORDER BY id");
    expect(values(await athena.call('GetQueryResults', { QueryExecutionId: id }))).toEqual([
      ['id', 'amount'],
      ['1', '1.5'],
      ['2', '3'],
      ['3', '4.5'],
      ['4', '6'],
    ]);
  });

  it('reads hive partitions as columns', async () => {
    const id = await query('SELECT run_id, COUNT(*) AS n FROM shop.sales GROUP BY run_id ORDER BY run_id');
    expect(values(await athena.call('GetQueryResults', { QueryExecutionId: id }))).toEqual([['run_id', 'n'], ['a', '4'], ['b', '2']]);
  });

  it('leaves VarCharValue out for NULL, as Athena does', async () => {
    const id = await query("SELECT tag FROM shop.sales WHERE run_id = 'a' AND id = 3");
    const output = (await athena.call('GetQueryResults', { QueryExecutionId: id })) as { ResultSet: { Rows: Array<{ Data: unknown[] }> } };
    expect(output.ResultSet.Rows[1]).toEqual({ Data: [{}] });
  });

  it('describes the columns with Athena type names', async () => {
    const id = await query("SELECT id, amount, tag FROM shop.sales WHERE run_id = 'b'");
    const output = (await athena.call('GetQueryResults', { QueryExecutionId: id })) as { ResultSet: { ResultSetMetadata: { ColumnInfo: Array<{ Name: string; Type: string }> } } };
    expect(output.ResultSet.ResultSetMetadata.ColumnInfo.map((column) => [column.Name, column.Type])).toEqual([
      ['id', 'bigint'],
      ['amount', 'decimal'],
      ['tag', 'varchar'],
    ]);
  });

  it('resolves unqualified table names in QueryExecutionContext.Database', async () => {
    const id = await query("SELECT COUNT(*) AS n FROM sales WHERE run_id = 'b'", { QueryExecutionContext: { Database: 'shop' } });
    expect(values(await athena.call('GetQueryResults', { QueryExecutionId: id }))[1]).toEqual(['2']);
  });

  it('binds ExecutionParameters to the ? placeholders in order', async () => {
    const id = await query('SELECT COUNT(*) AS n FROM shop.sales WHERE run_id = ? AND id > ?', { ExecutionParameters: ["'a'", '2'] });
    expect(values(await athena.call('GetQueryResults', { QueryExecutionId: id }))[1]).toEqual(['2']);
  });

  it('pages with MaxResults and NextToken, the header only on the first page', async () => {
    const id = await query("SELECT id FROM shop.sales WHERE run_id = 'a' ORDER BY id");
    const first = await athena.call('GetQueryResults', { QueryExecutionId: id, MaxResults: 3 });
    const second = await athena.call('GetQueryResults', { QueryExecutionId: id, MaxResults: 3, NextToken: first.NextToken });
    expect([values(first), values(second), second.NextToken]).toEqual([[['id'], ['1'], ['2']], [['3'], ['4']], undefined]);
  });

  it('reports the GetQueryExecution shape of a finished query', async () => {
    const id = await query("SELECT 1 AS one", { WorkGroup: 'team' });
    const { QueryExecution } = (await athena.call('GetQueryExecution', { QueryExecutionId: id })) as { QueryExecution: Record<string, unknown> };
    expect(QueryExecution).toMatchObject({
      QueryExecutionId: id,
      Query: 'SELECT 1 AS one',
      StatementType: 'DML',
      WorkGroup: 'team',
      ResultConfiguration: { OutputLocation: `s3://results/team/${id}.csv` },
      Status: { State: 'SUCCEEDED', SubmissionDateTime: expect.any(Date), CompletionDateTime: expect.any(Date) },
      Statistics: { DataScannedInBytes: 0, EngineExecutionTimeInMillis: expect.any(Number), TotalExecutionTimeInMillis: expect.any(Number) },
    });
  });

  it('writes the results CSV to the output location', async () => {
    const id = await query("SELECT 'a,b' AS text, NULL AS nothing", { ResultConfiguration: { OutputLocation: 's3://results/mine/' } });
    const { bucket, key } = parseS3Uri(`s3://results/mine/${id}.csv`);
    expect(readFileSync(localObjectPath(stateDir, bucket, key), 'utf8')).toBe('"text","nothing"\n"a,b",\n');
  });

  it('uses the default output location when neither request nor workgroup names one', async () => {
    const id = await query('SELECT 1 AS one');
    const { QueryExecution } = (await athena.call('GetQueryExecution', { QueryExecutionId: id })) as { QueryExecution: { ResultConfiguration: { OutputLocation: string } } };
    expect(QueryExecution.ResultConfiguration.OutputLocation).toBe(`${DEFAULT_OUTPUT_LOCATION}${id}.csv`);
  });

  it('reads tables created through the local Glue catalog', async () => {
    const glue = new GlueEmulator({ stateDir });
    await glue.call('CreateDatabase', { DatabaseInput: { Name: 'lakehouse' } });
    await glue.call('CreateTable', { DatabaseName: 'lakehouse', TableInput: { Name: 'sales', PartitionKeys: [{ Name: 'run_id' }], StorageDescriptor: { Location: 's3://lake/sales/' } } });
    const id = await query('SELECT COUNT(*) AS n FROM lakehouse.sales');
    expect(values(await athena.call('GetQueryResults', { QueryExecutionId: id }))[1]).toEqual(['6']);
  });
});

describe('AthenaEmulator failures', () => {
  it('marks a query with a SQL error FAILED with the engine message', async () => {
    const id = await query('SELECT nope FROM shop.sales');
    const { QueryExecution } = (await athena.call('GetQueryExecution', { QueryExecutionId: id })) as { QueryExecution: { Status: { State: string; StateChangeReason: string } } };
    expect([QueryExecution.Status.State, QueryExecution.Status.StateChangeReason.includes('nope')]).toEqual(['FAILED', true]);
  });

  it('refuses GetQueryResults of a failed query with InvalidRequestException', async () => {
    const id = await query('SELECT nope FROM shop.sales');
    await expect(athena.call('GetQueryResults', { QueryExecutionId: id })).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });

  it('refuses GetQueryResults before the query has finished', async () => {
    const { QueryExecutionId } = await athena.call('StartQueryExecution', { QueryString: 'SELECT 1' });
    const early: unknown = await athena.call('GetQueryResults', { QueryExecutionId }).catch((error: unknown) => error);
    await athena.whenIdle();
    expect(early).toMatchObject({ name: 'InvalidRequestException', message: expect.stringMatching(/^Query has not yet finished. Current state: (QUEUED|RUNNING)$/) });
  });

  it('throws InvalidRequestException for an unknown query id', async () => {
    await expect(athena.call('GetQueryExecution', { QueryExecutionId: 'missing' })).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: 'QueryExecution missing was not found',
    });
  });

  it('throws InvalidRequestException when parameters and placeholders differ in number', async () => {
    await expect(athena.call('StartQueryExecution', { QueryString: 'SELECT 1 FROM shop.sales WHERE id = ?', ExecutionParameters: ['1', '2'] })).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: 'The query has 1 parameter placeholder(s) (?) but ExecutionParameters has 2 value(s): ["1","2"]',
    });
  });

  it('refuses a ? parameter in the SELECT list, as Athena does (parameters only in WHERE)', async () => {
    await expect(athena.call('StartQueryExecution', { QueryString: 'SELECT CAST(? AS DOUBLE) AS x FROM shop.sales', ExecutionParameters: ['1'] })).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: 'line 1:13: execution parameter (?) in a SELECT clause: ? parameters can be placed only in the WHERE clause; syntax like SELECT ? FROM table is not supported',
    });
  });

  it('refuses a ? parameter in a CTE\'s SELECT list, in HAVING and in a JOIN condition', async () => {
    for (const sql of [
      'WITH p AS (\n  SELECT ? AS v\n)\nSELECT * FROM shop.sales WHERE id = 1',
      'SELECT id FROM shop.sales GROUP BY id HAVING COUNT(*) > ?',
      'SELECT 1 FROM shop.sales a JOIN shop.sales b ON a.id = ?',
      'SELECT * FROM shop.sales WHERE id IN (SELECT ? FROM shop.sales)',
    ]) {
      await expect(athena.call('StartQueryExecution', { QueryString: sql, ExecutionParameters: ['1'] }), sql).rejects.toMatchObject({ name: 'InvalidRequestException', message: expect.stringContaining('can be placed only in the WHERE clause') });
    }
  });

  it('accepts ? parameters in WHERE clauses, nested ones included, and ignores ? in strings and comments', async () => {
    const id = await query("WITH r AS (SELECT id FROM shop.sales WHERE run_id = ?)\nSELECT COUNT(*) AS n, '?' AS q -- a ? here\nFROM r WHERE id IN (SELECT id FROM shop.sales WHERE id > ? AND (id < ? OR id = 0))", { ExecutionParameters: ["'a'", '1', '100'] });
    await athena.whenIdle();
    const { QueryExecution } = (await athena.call('GetQueryExecution', { QueryExecutionId: id })) as { QueryExecution: { Status: { State: string; StateChangeReason?: string } } };
    expect(QueryExecution.Status).toMatchObject({ State: 'SUCCEEDED' });
  });

  it('throws InvalidRequestException for an empty QueryString', async () => {
    await expect(athena.call('StartQueryExecution', { QueryString: '  ' })).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });

  it('fails DDL, which the local Athena does not run', async () => {
    const id = await query('CREATE TABLE t (a int)');
    const { QueryExecution } = (await athena.call('GetQueryExecution', { QueryExecutionId: id })) as { QueryExecution: { StatementType: string; Status: { State: string } } };
    expect([QueryExecution.StatementType, QueryExecution.Status.State]).toEqual(['DDL', 'FAILED']);
  });
});

describe('bindExecutionParameters', () => {
  it('leaves ? inside string literals, quoted names and comments alone', () => {
    expect(bindExecutionParameters("SELECT '?', \"?\" FROM t -- ?\nWHERE a = ? /* ? */", ['42'])).toBe("SELECT '?', \"?\" FROM t -- ?\nWHERE a = 42 /* ? */");
  });
});
