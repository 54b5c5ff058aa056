import { expectArgumentCount, failure, roundedInt32Argument } from './arguments.js';
import type { IntrinsicCall } from './intrinsic-call.js';
import { statesArrayPartition, statesArrayRange } from './functions/array-functions.js';
import { statesHash } from './functions/encoding-functions.js';
import { statesStringToJson } from './functions/json-functions.js';
import { statesUuid } from './functions/uuid-function.js';
import { seededRandom } from './seeded-random.js';

/**
 * The functions Step Functions adds to JSONata ($partition, $range, $hash, $random, $uuid, $parse),
 * the JSONata counterparts of the intrinsics. Pass them as JSONata bindings, e.g.
 * `expression.evaluate(input, { ...stepFunctionsJsonataFunctions(), ...variables, states })`.
 * Step Functions' $random replaces JSONata's own: it takes an optional seed.
 */
export function stepFunctionsJsonataFunctions(options: { random?: () => number } = {}): Record<string, (...args: unknown[]) => unknown> {
  const random = options.random ?? Math.random;
  const call = (name: string, args: unknown[]): IntrinsicCall => ({ name, args: withoutTrailingUndefined(args), nodes: [], random });
  return {
    partition: (...args) => statesArrayPartition(call('$partition', args)),
    // A JSONata sequence of one item is that item: $range(1, 9, 9) is 1, not [1].
    range: (...args) => singletonUnwrapped(statesArrayRange(call('$range', args))),
    hash: (...args) => statesHash(call('$hash', args)),
    random: (...args) => {
      const invocation = call('$random', args);
      expectArgumentCount(invocation, 0, 1);
      if (invocation.args.length === 0) return random();
      return seededRandom(roundedInt32Argument(invocation, 0, 'seed'))();
    },
    uuid: (...args) => statesUuid(call('$uuid', args)),
    parse: (...args) => {
      const invocation = call('$parse', args);
      if (invocation.args.length !== 1) throw failure(invocation, `expected 1 argument, got ${invocation.args.length}`);
      return statesStringToJson(invocation);
    },
  };
}

/** JSONata passes omitted trailing arguments as undefined; count only the given ones. */
function withoutTrailingUndefined(args: unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end -= 1;
  return args.slice(0, end);
}

function singletonUnwrapped(value: unknown): unknown {
  return Array.isArray(value) && value.length === 1 ? value[0] : value;
}
