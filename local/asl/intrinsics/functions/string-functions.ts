import { expectArgumentCount, failure, stringArgument } from '../arguments.js';
import type { IntrinsicCall } from '../intrinsic-call.js';
import { PLACEHOLDER, type FormatPart } from '../tokenizer.js';

/**
 * States.Format(template, ...values): each `{}` takes the next value. A literal template honours
 * \{ and \} escapes; a template read from a path is data, where every `{}` is a placeholder.
 */
export function statesFormat(call: IntrinsicCall): string {
  expectArgumentCount(call, 1, Infinity);
  const template = stringArgument(call, 0, 'template');
  const first = call.nodes[0];
  const parts = first?.kind === 'string' ? first.template : splitTemplate(template);
  if (typeof parts === 'string') throw failure(call, `argument 1 (template) has an ${parts}`);
  const placeholders = parts.filter((part) => part === PLACEHOLDER).length;
  const values = call.args.slice(1);
  if (placeholders !== values.length) {
    throw failure(call, `the template has ${placeholders} {} placeholder${placeholders === 1 ? '' : 's'} but ${values.length} value${values.length === 1 ? ' was' : 's were'} given`);
  }
  let valueIndex = 0;
  let result = '';
  for (const part of parts) {
    if (part !== PLACEHOLDER) {
      result += part;
      continue;
    }
    result += formatValue(values[valueIndex]);
    valueIndex += 1;
  }
  return result;
}

function splitTemplate(template: string): FormatPart[] {
  const parts: FormatPart[] = [];
  template.split('{}').forEach((text, index) => {
    if (index > 0) parts.push(PLACEHOLDER);
    if (text !== '') parts.push(text);
  });
  return parts;
}

/**
 * A value as AWS's States.Format renders it: Java's toString of the parsed JSON, so objects read
 * `{Arg1=1, Arg2=[]}` and arrays `[1, a]` (strings inside are not quoted).
 */
function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([key, item]) => `${key}=${formatValue(item)}`).join(', ')}}`;
  }
  return String(value);
}

/**
 * States.StringSplit(string, delimiters): every character of the second argument is a delimiter
 * (AWS: "This.is+a,test=string" split on ".+,=" gives five words); empty pieces are dropped.
 */
export function statesStringSplit(call: IntrinsicCall): string[] {
  expectArgumentCount(call, 2);
  const input = stringArgument(call, 0, 'string');
  const delimiters = stringArgument(call, 1, 'delimiters');
  if (delimiters === '') throw failure(call, 'argument 2 (delimiters) must not be empty');
  const delimiterSet = new Set(delimiters);
  const pieces: string[] = [];
  let current = '';
  for (const char of input) {
    if (delimiterSet.has(char)) {
      if (current !== '') pieces.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (current !== '') pieces.push(current);
  return pieces;
}
