import { applyInputPath } from '../data-flow/state-io.js';
import type { StateFrame } from '../state-frame.js';
import type { StateOutcome } from '../state-runner.js';

/** Succeed: ends its body successfully; InputPath/OutputPath or JSONata Output shape the output. */
export async function executeSucceedState(frame: StateFrame): Promise<StateOutcome> {
  const effectiveInput = frame.isJsonata ? frame.rawInput : applyInputPath(frame.pathScope(frame.rawInput), frame.state.InputPath);
  const finished = await frame.finishWithoutResult(effectiveInput, undefined);
  return { ...finished, next: undefined };
}
