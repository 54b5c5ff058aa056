import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLD_FEATURES, MODEL_MATRIX_KEYS } from '../../workflow/gold-features.js';
import { lintPortableSql } from '../../local/etl/sql-dialect-lint.js';
import { DATA_QUALITY_SQL_FILE, loadSqlSteps, RAW_TO_SILVER_SQL_DIR, SILVER_TO_GOLD_SQL_DIR, SQL_ROOT } from '../../local/etl/sql-steps.js';

const etlSteps = [...loadSqlSteps(RAW_TO_SILVER_SQL_DIR), ...loadSqlSteps(SILVER_TO_GOLD_SQL_DIR)];

describe('the SQL files stay in the subset their engines share', () => {
  it.each(etlSteps.map((step) => [step.file.slice(SQL_ROOT.length), step.sql]))('%s uses only Spark SQL + DuckDB syntax', (_file, sql) => {
    expect(lintPortableSql(sql, 'spark-duckdb')).toEqual([]);
  });

  it('data_quality.sql uses only Athena (Trino) + DuckDB syntax', () => {
    expect(lintPortableSql(readFileSync(DATA_QUALITY_SQL_FILE, 'utf8'), 'athena-duckdb')).toEqual([]);
  });

  it('the model matrix selects GOLD_FEATURES in order after its key columns', () => {
    const matrix = etlSteps.find((step) => step.name === 'model_matrix')!;
    const selected = /SELECT([\s\S]*?)FROM/.exec(matrix.sql.replace(/--[^\n]*/g, ''))![1]!.split(',').map((name) => name.trim());
    expect(selected).toEqual([...MODEL_MATRIX_KEYS, ...GOLD_FEATURES]);
  });
});

describe('lintPortableSql', () => {
  it.each([
    ['SELECT a::INT FROM t', ':: cast'],
    ['SELECT a FROM t QUALIFY ROW_NUMBER() OVER (ORDER BY a) = 1', 'QUALIFY'],
    ['SELECT * EXCLUDE (a) FROM t', '* EXCLUDE/REPLACE'],
    ["SELECT * FROM read_parquet('x')", 'file table function'],
    ['SELECT `a` FROM t', 'backtick identifier'],
    ['SELECT "a" FROM t', 'double-quoted name'],
    ["SELECT a FROM t WHERE a ILIKE 'x%'", 'ILIKE'],
    ["SELECT strftime(d, '%Y') FROM t", 'engine-specific function'],
    ['SELECT a FROM t; SELECT b FROM t', 'more than one query'],
    ['CREATE TABLE x AS SELECT 1', 'statement other than a query'],
    ['SELECT a FROM t WHERE a = ?', 'placeholder'],
    ['SELECT d + INTERVAL 1 DAY FROM t', 'INTERVAL literal'],
  ])('rejects %s (%s)', (sql, rule) => {
    expect(lintPortableSql(sql, 'spark-duckdb').map((problem) => problem.rule)).toEqual([rule]);
  });

  it('rejects AS STRING in Athena SQL but not in ETL SQL', () => {
    const sql = 'SELECT CAST(a AS STRING) FROM t';
    expect([lintPortableSql(sql, 'athena-duckdb').length, lintPortableSql(sql, 'spark-duckdb').length]).toEqual([1, 0]);
  });

  it('ignores what is inside comments and string literals', () => {
    expect(lintPortableSql("-- a::b QUALIFY\nSELECT 'it''s ; ? ::' AS x FROM t /* ILIKE */", 'spark-duckdb')).toEqual([]);
  });

  it('reports the line of the problem', () => {
    expect(lintPortableSql('SELECT a\nFROM t\nWHERE a::INT = 1', 'spark-duckdb')).toEqual([{ rule: ':: cast', line: 3, text: 'WHERE a::INT = 1' }]);
  });
});

describe('the Glue scripts', () => {
  it.each(['raw_to_silver.py', 'silver_to_gold.py', 'sql_steps.py'])('%s compiles with python3 -m py_compile', (script) => {
    const path = join(SQL_ROOT, '..', script);
    // The bytecode goes to a temp folder, not beside the script.
    const env = { ...process.env, PYTHONPYCACHEPREFIX: mkdtempSync(join(tmpdir(), 'pricesense-pycache-')) };
    expect(() => execFileSync('python3', ['-m', 'py_compile', path], { stdio: 'pipe', env })).not.toThrow();
  });

  it.each(['raw_to_silver.py', 'silver_to_gold.py'])('%s reads its arguments with getResolvedOptions inside main() only', (script) => {
    const source = readFileSync(join(SQL_ROOT, '..', script), 'utf8');
    const mainBody = source.slice(source.indexOf('def main():'));
    const outsideMain = source.slice(0, source.indexOf('def main():'));
    expect({ inMain: mainBody.includes('getResolvedOptions(sys.argv'), glueOutsideMain: /\bawsglue\b/.test(outsideMain.replace(/"""[\s\S]*?"""/, '')) }).toEqual({
      inMain: true,
      glueOutsideMain: false,
    });
  });

  it('sql_steps.py finds the SQL beside the scripts and orders the steps as the DuckDB runner does', () => {
    const scripts = join(SQL_ROOT, '..');
    const env = { ...process.env, PYTHONPYCACHEPREFIX: mkdtempSync(join(tmpdir(), 'pricesense-pycache-')) };
    const program = 'import sql_steps, sys; root = sql_steps.find_sql_root(sys.argv[1]); print(",".join(name for name, _ in sql_steps.load_steps(root + "/silver_to_gold")))';
    const names = execFileSync('python3', ['-c', program, scripts], { cwd: scripts, env, encoding: 'utf8' }).trim();
    expect(names).toBe(loadSqlSteps(SILVER_TO_GOLD_SQL_DIR).map((step) => step.name).join(','));
    expect(names).toBe('category_encodings,reference_prices,basket_facts,customer_weeks,customer_history,gold_baskets,model_matrix,customer_features,gold_stats');
  });
});
