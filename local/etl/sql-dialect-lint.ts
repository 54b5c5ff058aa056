/**
 * Keeps the SQL files in the subset their engines share. The ETL steps run on Spark SQL 3.3+
 * (Glue 4/5) and DuckDB; data_quality.sql runs on Athena (Trino) and DuckDB. Comments and
 * string literals are blanked first, then each rule below is matched on what is left.
 *
 * Rejected in every file:
 *   - `::` casts (DuckDB/Postgres only; use CAST(x AS t))
 *   - QUALIFY (DuckDB only; Spark 3.3 lacks it), SELECT DISTINCT ON, `* EXCLUDE` / `* REPLACE`,
 *     COLUMNS(...) (DuckDB only)
 *   - file-reading table functions: read_parquet, read_csv, read_csv_auto, read_json,
 *     parquet_scan, glob (inputs are views the engine binds)
 *   - backtick-quoted identifiers (Spark only) and double-quoted names (an identifier in DuckDB
 *     and Trino, a string in Spark)
 *   - ILIKE, RLIKE, `<=>`, `//` integer division, `^` (power in DuckDB, XOR in Spark)
 *   - engine-specific date and null functions: strftime, strptime, date_format, to_date,
 *     unix_timestamp, from_unixtime, date_trunc, date_add, date_diff/datediff, nvl, pmod,
 *     list_*, struct_pack, array_agg, collect_list
 *   - INTERVAL literals, LATERAL VIEW, DISTRIBUTE BY, CLUSTER BY, SORT BY
 *   - anything but one query: `;`, CREATE, INSERT, COPY, ATTACH, PRAGMA, SET, INSTALL, LOAD
 * ETL steps only: `?` and `$n` placeholders (they bind nothing there).
 * data_quality.sql only: `AS STRING` (no such type in Trino) and the named WINDOW clause
 *   (not in Athena engine v2).
 */

export type SqlDialectTarget = 'spark-duckdb' | 'athena-duckdb';

export interface SqlLintProblem {
  rule: string;
  line: number;
  text: string;
}

interface Rule {
  name: string;
  pattern: RegExp;
  targets?: SqlDialectTarget[];
}

const RULES: Rule[] = [
  { name: ':: cast', pattern: /::/g },
  { name: 'QUALIFY', pattern: /\bQUALIFY\b/gi },
  { name: 'DISTINCT ON', pattern: /\bDISTINCT\s+ON\b/gi },
  { name: '* EXCLUDE/REPLACE', pattern: /\bEXCLUDE\b|\*\s*REPLACE\b/gi },
  { name: 'COLUMNS()', pattern: /\bCOLUMNS\s*\(/gi },
  { name: 'file table function', pattern: /\b(read_parquet|read_csv|read_csv_auto|read_json|read_json_auto|parquet_scan|glob)\s*\(/gi },
  { name: 'backtick identifier', pattern: /`[^`\n]*`?/g },
  { name: 'double-quoted name', pattern: /"[^"\n]*"?/g },
  { name: 'ILIKE', pattern: /\bILIKE\b/gi },
  { name: 'RLIKE', pattern: /\bRLIKE\b/gi },
  { name: 'null-safe <=>', pattern: /<=>/g },
  { name: '// integer division', pattern: /\/\//g },
  { name: '^ operator', pattern: /\^/g },
  {
    name: 'engine-specific function',
    pattern:
      /\b(strftime|strptime|date_format|to_date|unix_timestamp|from_unixtime|date_trunc|date_add|date_diff|datediff|nvl|nvl2|pmod|list_\w+|struct_pack|array_agg|collect_list|collect_set)\s*\(/gi,
  },
  { name: 'INTERVAL literal', pattern: /\bINTERVAL\b/gi },
  { name: 'LATERAL VIEW', pattern: /\bLATERAL\s+VIEW\b/gi },
  { name: 'DISTRIBUTE/CLUSTER/SORT BY', pattern: /\b(DISTRIBUTE|CLUSTER|SORT)\s+BY\b/gi },
  { name: 'more than one query', pattern: /;/g },
  { name: 'statement other than a query', pattern: /^\s*(CREATE|INSERT|COPY|ATTACH|PRAGMA|SET|INSTALL|LOAD|DROP|UPDATE|DELETE)\b/gim },
  { name: 'placeholder', pattern: /\?|\$\d+/g, targets: ['spark-duckdb'] },
  { name: 'STRING type', pattern: /\bAS\s+STRING\b/gi, targets: ['athena-duckdb'] },
  { name: 'WINDOW clause', pattern: /\bWINDOW\s+\w+\s+AS\b/gi, targets: ['athena-duckdb'] },
];

/** The SQL with comments and the contents of string literals replaced by spaces (offsets kept). */
export function blankCommentsAndStrings(sql: string): string {
  const out = sql.split('');
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k += 1) if (out[k] !== '\n') out[k] = ' ';
  };
  while (i < sql.length) {
    if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      blank(i, stop);
      i = stop;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (sql[i] === "'") {
      let k = i + 1;
      while (k < sql.length && !(sql[k] === "'" && sql[k + 1] !== "'")) k += sql[k] === "'" ? 2 : 1;
      blank(i + 1, k);
      i = k + 1;
    } else {
      i += 1;
    }
  }
  return out.join('');
}

export function lintPortableSql(sql: string, target: SqlDialectTarget): SqlLintProblem[] {
  const code = blankCommentsAndStrings(sql);
  const lines = sql.split('\n');
  const problems: SqlLintProblem[] = [];
  for (const rule of RULES) {
    if (rule.targets && !rule.targets.includes(target)) continue;
    for (const match of code.matchAll(rule.pattern)) {
      const line = code.slice(0, match.index).split('\n').length;
      problems.push({ rule: rule.name, line, text: (lines[line - 1] ?? '').trim() });
    }
  }
  return problems.sort((a, b) => a.line - b.line);
}
