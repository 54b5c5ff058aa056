import { IntrinsicFailureError } from './intrinsic-failure-error.js';

/** A piece of a States.Format template: literal text or a `{}` placeholder. */
export type FormatPart = string | typeof PLACEHOLDER;
export const PLACEHOLDER: unique symbol = Symbol('placeholder');

export type Token =
  | { kind: 'function'; name: string; position: number }
  | { kind: 'open' | 'close' | 'comma' | 'end'; position: number }
  | { kind: 'string'; value: string; template: FormatPart[] | string; position: number }
  | { kind: 'number'; value: number; position: number }
  | { kind: 'literal'; value: null | boolean; position: number }
  | { kind: 'path'; path: string; position: number };

const FUNCTION_NAME = /^States\.[A-Za-z0-9]+/;
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/;
const KEYWORD = /^(?:null|true|false)\b/;

/** Splits an intrinsic expression into tokens; reports the first unreadable character. */
export function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < expression.length) {
    const char = expression[position]!;
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      position += 1;
      continue;
    }
    if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: char === '(' ? 'open' : char === ')' ? 'close' : 'comma', position });
      position += 1;
      continue;
    }
    if (char === "'") {
      const literal = readString(expression, position);
      tokens.push({ kind: 'string', value: literal.value, template: literal.template, position });
      position = literal.end;
      continue;
    }
    if (char === '$') {
      const end = scanPath(expression, position);
      tokens.push({ kind: 'path', path: expression.slice(position, end), position });
      position = end;
      continue;
    }
    const rest = expression.slice(position);
    const functionName = FUNCTION_NAME.exec(rest);
    if (functionName) {
      tokens.push({ kind: 'function', name: functionName[0], position });
      position += functionName[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), position });
      position += number[0].length;
      continue;
    }
    const keyword = KEYWORD.exec(rest);
    if (keyword) {
      const value = keyword[0] === 'null' ? null : keyword[0] === 'true';
      tokens.push({ kind: 'literal', value, position });
      position += keyword[0].length;
      continue;
    }
    throw new IntrinsicFailureError(
      `Invalid intrinsic function call '${expression}': unexpected '${char}' at position ${position}; ` +
        `expected a States.* function, a quoted string, a number, null, true, false or a path starting with '$'`,
    );
  }
  tokens.push({ kind: 'end', position });
  return tokens;
}

/**
 * Reads a single-quoted string starting at `start`. Escapes: \' \\ \{ \}. Besides the plain value
 * it keeps the Format template, where an escaped brace is text and an unescaped `{}` a placeholder
 * (a lone unescaped brace is kept as an error message, raised only if the string is a template).
 */
function readString(expression: string, start: number): { value: string; template: FormatPart[] | string; end: number } {
  let value = '';
  let text = '';
  const parts: FormatPart[] = [];
  let templateError: string | undefined;
  let position = start + 1;
  while (position < expression.length) {
    const char = expression[position]!;
    if (char === "'") {
      if (text !== '') parts.push(text);
      return { value, template: templateError ?? parts, end: position + 1 };
    }
    if (char === '\\') {
      const next = expression[position + 1];
      if (next === "'" || next === '\\' || next === '{' || next === '}') {
        value += next;
        text += next;
        position += 2;
        continue;
      }
      // Not a reserved character: the backslash stands for itself.
      value += char;
      text += char;
      position += 1;
      continue;
    }
    if (char === '{' && expression[position + 1] === '}') {
      value += '{}';
      if (text !== '') parts.push(text);
      text = '';
      parts.push(PLACEHOLDER);
      position += 2;
      continue;
    }
    if (char === '{' || char === '}') {
      templateError ??= `unescaped '${char}' at position ${position} (write \\${char} for a literal brace)`;
    }
    value += char;
    text += char;
    position += 1;
  }
  throw new IntrinsicFailureError(
    `Invalid intrinsic function call '${expression}': the string starting at position ${start} is not closed with '`,
  );
}

/**
 * Finds the end of a path argument ($.a.b[0], $$.Execution.Id, $var.field, $.items[?(@.x == 'a, b')]):
 * it ends at a comma, closing parenthesis or whitespace outside brackets and quotes.
 */
function scanPath(expression: string, start: number): number {
  let bracketDepth = 0;
  let quote: string | undefined;
  let position = start;
  while (position < expression.length) {
    const char = expression[position]!;
    if (quote !== undefined) {
      if (char === '\\') position += 1;
      else if (char === quote) quote = undefined;
    } else if (char === '[') {
      bracketDepth += 1;
    } else if (char === ']') {
      bracketDepth -= 1;
    } else if (bracketDepth > 0 && (char === "'" || char === '"')) {
      quote = char;
    } else if (bracketDepth === 0 && (char === ',' || char === ')' || /\s/.test(char))) {
      break;
    }
    position += 1;
  }
  return position;
}
