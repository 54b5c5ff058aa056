import { randomUUID } from 'node:crypto';
import { expectArgumentCount } from '../arguments.js';
import type { IntrinsicCall } from '../intrinsic-call.js';

/** States.UUID(): a version 4 UUID. */
export function statesUuid(call: IntrinsicCall): string {
  expectArgumentCount(call, 0);
  return randomUUID();
}
