import { IntrinsicFailureError } from './intrinsic-failure-error.js';
import { INTRINSIC_FUNCTIONS } from './function-table.js';
import { parseIntrinsic, type IntrinsicNode } from './parser.js';

export interface IntrinsicOptions {
  /** Uniform in [0, 1) for States.MathRandom without a seed. @default Math.random */
  random?: () => number;
}

/**
 * Resolves a path argument: `$`, `$.a.b[0]` (state input), `$$.Execution.Id` (context object) or
 * `$name.field` (a variable). The engine owns the data, so it owns resolution.
 */
export type PathResolver = (path: string) => unknown;

const CALL_SHAPE = /^\s*States\.[A-Za-z0-9]+\s*\([\s\S]*\)\s*$/;

/** True when a `.$` field value is an intrinsic call rather than a path. */
export function isIntrinsicCall(value: string): boolean {
  return CALL_SHAPE.test(value);
}

// Definitions repeat the same few expressions on every state entry: parse each once.
const parsedCache = new Map<string, Extract<IntrinsicNode, { kind: 'call' }>>();
const PARSED_CACHE_LIMIT = 5000;

function parseCached(expression: string): Extract<IntrinsicNode, { kind: 'call' }> {
  let parsed = parsedCache.get(expression);
  if (parsed === undefined) {
    parsed = parseIntrinsic(expression);
    if (parsedCache.size >= PARSED_CACHE_LIMIT) parsedCache.clear();
    parsedCache.set(expression, parsed);
  }
  return parsed;
}

/** Evaluates an intrinsic expression such as `States.Format('{}-{}', $.a, $$.Execution.Name)`. */
export function evaluateIntrinsic(expression: string, resolvePath: PathResolver, options: IntrinsicOptions = {}): unknown {
  const random = options.random ?? Math.random;
  return evaluateNode(parseCached(expression), resolvePath, random);
}

function evaluateNode(node: IntrinsicNode, resolvePath: PathResolver, random: () => number): unknown {
  switch (node.kind) {
    case 'string':
    case 'value':
      return node.value;
    case 'path': {
      const value = resolvePath(node.path);
      if (value === undefined) {
        throw new IntrinsicFailureError(`The path '${node.path}' did not match anything in the input`);
      }
      return value;
    }
    case 'call': {
      const implementation = INTRINSIC_FUNCTIONS[node.name];
      if (implementation === undefined) {
        throw new IntrinsicFailureError(
          `Unknown intrinsic function '${node.name}'; known functions: ${Object.keys(INTRINSIC_FUNCTIONS).join(', ')}`,
        );
      }
      const args = node.args.map((argument) => evaluateNode(argument, resolvePath, random));
      return implementation({ name: node.name, args, nodes: node.args, random });
    }
  }
}
