import { IntrinsicFailureError } from './intrinsic-failure-error.js';
import { tokenize, type FormatPart, type Token } from './tokenizer.js';

export type IntrinsicNode =
  | { kind: 'call'; name: string; args: IntrinsicNode[] }
  | { kind: 'string'; value: string; template: FormatPart[] | string }
  | { kind: 'value'; value: number | boolean | null }
  | { kind: 'path'; path: string };

/** AWS allows nesting intrinsic functions at most this deep within one field. */
export const MAX_NESTING = 10;

/** Parses a whole intrinsic expression: exactly one function call and nothing after it. */
export function parseIntrinsic(expression: string): Extract<IntrinsicNode, { kind: 'call' }> {
  const parser = new Parser(expression, tokenize(expression));
  const first = parser.peek();
  if (first.kind !== 'function') {
    throw parser.failure(first, 'expected a States.* function call');
  }
  const call = parser.call(1);
  const rest = parser.peek();
  if (rest.kind !== 'end') throw parser.failure(rest, 'expected the end of the expression');
  return call;
}

class Parser {
  private index = 0;

  constructor(
    private readonly expression: string,
    private readonly tokens: Token[],
  ) {}

  peek(): Token {
    return this.tokens[this.index] ?? { kind: 'end', position: this.expression.length };
  }

  private next(): Token {
    const token = this.peek();
    this.index += 1;
    return token;
  }

  call(depth: number): Extract<IntrinsicNode, { kind: 'call' }> {
    const nameToken = this.next();
    if (nameToken.kind !== 'function') throw this.failure(nameToken, 'expected a States.* function name');
    if (depth > MAX_NESTING) {
      throw this.failure(nameToken, `intrinsic functions are nested deeper than ${MAX_NESTING} levels`);
    }
    const open = this.next();
    if (open.kind !== 'open') throw this.failure(open, `expected '(' after ${nameToken.name}`);
    const args: IntrinsicNode[] = [];
    if (this.peek().kind === 'close') {
      this.next();
      return { kind: 'call', name: nameToken.name, args };
    }
    for (;;) {
      args.push(this.argument(depth));
      const separator = this.next();
      if (separator.kind === 'close') return { kind: 'call', name: nameToken.name, args };
      if (separator.kind !== 'comma') {
        throw this.failure(separator, `expected ',' or ')' in the arguments of ${nameToken.name}`);
      }
    }
  }

  private argument(depth: number): IntrinsicNode {
    const token = this.peek();
    switch (token.kind) {
      case 'function':
        return this.call(depth + 1);
      case 'string':
        this.next();
        return { kind: 'string', value: token.value, template: token.template };
      case 'number':
      case 'literal':
        this.next();
        return { kind: 'value', value: token.value };
      case 'path':
        this.next();
        return { kind: 'path', path: token.path };
      default:
        throw this.failure(token, 'expected an argument (string, number, null, boolean, path or function call)');
    }
  }

  failure(token: Token, expected: string): IntrinsicFailureError {
    const found = token.kind === 'end' ? 'the end of the expression' : `'${this.expression.slice(token.position, token.position + 12)}'`;
    return new IntrinsicFailureError(
      `Invalid intrinsic function call '${this.expression}': ${expected}, found ${found} at position ${token.position}`,
    );
  }
}
