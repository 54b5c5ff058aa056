import { INT32_MAX, INT32_MIN, expectArgumentCount, failure, roundedInt32Argument } from '../arguments.js';
import type { IntrinsicCall } from '../intrinsic-call.js';
import { seededRandom } from '../seeded-random.js';

/**
 * States.MathRandom(start, end[, seed]): an integer with start <= n < end. With a seed the result
 * is reproducible; without one it comes from the injected random source.
 */
export function statesMathRandom(call: IntrinsicCall): number {
  expectArgumentCount(call, 2, 3);
  const start = roundedInt32Argument(call, 0, 'start');
  const end = roundedInt32Argument(call, 1, 'end');
  if (end <= start) throw failure(call, `argument 2 (end) must be greater than argument 1 (start), got start ${start} and end ${end}`);
  const random = call.args.length === 3 ? seededRandom(roundedInt32Argument(call, 2, 'seed')) : call.random;
  return start + Math.floor(random() * (end - start));
}

export function statesMathAdd(call: IntrinsicCall): number {
  expectArgumentCount(call, 2);
  const sum = roundedInt32Argument(call, 0, 'value') + roundedInt32Argument(call, 1, 'step');
  if (sum < INT32_MIN || sum > INT32_MAX) {
    throw failure(call, `the sum ${sum} is outside ${INT32_MIN}..${INT32_MAX}`);
  }
  return sum;
}
