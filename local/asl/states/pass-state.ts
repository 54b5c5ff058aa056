import { applyInputPath, applyPayloadTemplate } from '../data-flow/state-io.js';
import type { StateFrame } from '../state-frame.js';
import { nextOf, type StateOutcome } from '../state-runner.js';

/**
 * Pass: JSONPath — Result (or the effective input after InputPath/Parameters) goes through
 * ResultPath and OutputPath; JSONata — Output (default: the state input) and Assign.
 */
export async function executePassState(frame: StateFrame): Promise<StateOutcome> {
  const { state } = frame;
  if (frame.isJsonata) {
    const finished = await frame.finishWithoutResult(frame.rawInput);
    return { ...finished, next: nextOf(state) };
  }
  const effectiveInput = applyInputPath(frame.pathScope(frame.rawInput), state.InputPath);
  const result = 'Result' in state
    ? state.Result
    : applyPayloadTemplate(state.Parameters, frame.pathScope(effectiveInput), 'Parameters');
  const finished = await frame.finishWithResult(result, { resultSelector: false });
  return { ...finished, next: nextOf(state) };
}
