/**
 * The columns an ETL step writes and the type its SQL CASTs each one to, read from the SQL text:
 * the top-level SELECT list of the step, every item of the form `CAST(<expr> AS <TYPE>) AS <name>`.
 * A `*` or `<alias>.*` item stands for the columns of the step it selects from, which are followed.
 * Spark and DuckDB infer different types for the same expression (SUM of INT: BIGINT on Spark,
 * HUGEINT/INT128 on DuckDB for some inputs), so only an explicit CAST fixes the type on both.
 */
import { blankCommentsAndStrings } from './sql-dialect-lint.js';
import type { SqlStep } from './sql-steps.js';

export interface OutputColumn {
  name: string;
  /** The type of the top-level CAST, upper case (`BIGINT`), or null when the item is not one. */
  castType: string | null;
  /** The step whose SELECT list holds the item. */
  step: string;
  text: string;
}

/** Top-level comma-separated items of `text` (parentheses balanced; comments and strings blanked in `masked`). */
function splitTopLevel(text: string, masked: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < masked.length; i += 1) {
    const c = masked[i];
    if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === ',' && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  items.push(text.slice(start));
  return items;
}

/** Index of the first whole-word `word` at parenthesis depth 0 from `from`, or -1. */
function topLevelKeyword(masked: string, word: string, from: number): number {
  const pattern = new RegExp(`\\b${word}\\b`, 'gi');
  pattern.lastIndex = from;
  for (let match = pattern.exec(masked); match; match = pattern.exec(masked)) {
    let depth = 0;
    for (let i = 0; i < match.index; i += 1) depth += masked[i] === '(' ? 1 : masked[i] === ')' ? -1 : 0;
    if (depth === 0) return match.index;
  }
  return -1;
}

const CAST_ITEM = /^CAST\s*\(([\s\S]*)\s+AS\s+([A-Za-z]+)\s*\)\s+AS\s+([A-Za-z_][A-Za-z0-9_]*)$/i;

function castOf(item: string, maskedItem: string): { name: string; castType: string } | null {
  const match = CAST_ITEM.exec(item.trim());
  if (!match) return null;
  // The CAST's own parenthesis must close just before `AS <name>`: `CAST(a AS INT) + 1 AS x` is no CAST item.
  const masked = maskedItem.trim();
  const open = masked.indexOf('(');
  let depth = 0;
  let close = -1;
  for (let i = open; i < masked.length; i += 1) {
    if (masked[i] === '(') depth += 1;
    else if (masked[i] === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (!/^\s+AS\s+[A-Za-z_][A-Za-z0-9_]*$/i.test(masked.slice(close + 1))) return null;
  return { name: match[3]!, castType: match[2]!.toUpperCase() };
}

/** The columns step `name` writes, in order, with the CAST that types each. */
export function outputColumns(steps: readonly SqlStep[], name: string): OutputColumn[] {
  const step = steps.find((candidate) => candidate.name === name);
  if (!step) throw new Error(`no SQL step named ${name} (steps: ${steps.map((s) => s.name).join(', ')})`);
  const masked = blankCommentsAndStrings(step.sql);
  const select = topLevelKeyword(masked, 'SELECT', 0);
  const from = topLevelKeyword(masked, 'FROM', select);
  if (select < 0 || from < 0) throw new Error(`step ${name}: no top-level SELECT ... FROM`);
  let listStart = select + 'SELECT'.length;
  const distinct = /^\s*DISTINCT\b/i.exec(masked.slice(listStart));
  if (distinct) listStart += distinct[0].length;
  const source = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(masked.slice(from + 'FROM'.length))?.[1];
  const items = splitTopLevel(step.sql.slice(listStart, from), masked.slice(listStart, from));
  const maskedItems = splitTopLevel(masked.slice(listStart, from), masked.slice(listStart, from));
  return items.flatMap((item, index): OutputColumn[] => {
    const maskedItem = maskedItems[index]!;
    if (/^\s*([A-Za-z_][A-Za-z0-9_]*\.)?\*\s*$/.test(maskedItem)) {
      if (!source || source === name) throw new Error(`step ${name}: cannot follow ${item.trim()} to a step`);
      return outputColumns(steps, source);
    }
    const cast = castOf(item, maskedItem);
    const alias = /\bAS\s+([A-Za-z_][A-Za-z0-9_]*)\s*$/i.exec(maskedItem)?.[1] ?? maskedItem.trim();
    return [{ name: cast?.name ?? alias, castType: cast?.castType ?? null, step: name, text: item.trim().replace(/\s+/g, ' ') }];
  });
}
