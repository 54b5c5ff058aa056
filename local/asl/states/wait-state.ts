import { applyInputPath, resolvePathValue } from '../data-flow/state-io.js';
import { isJsonataTemplate } from '../data-flow/jsonata.js';
import { StatesErrorName } from '../errors/error-names.js';
import { StatesError } from '../errors/states-error.js';
import type { StateFrame } from '../state-frame.js';
import { nextOf, type StateOutcome } from '../state-runner.js';

/** Wait: sleeps on the clock for Seconds, or until Timestamp (literal, path or JSONata). */
export async function executeWaitState(frame: StateFrame): Promise<StateOutcome> {
  const { state, name, thread } = frame;
  const effectiveInput = frame.isJsonata ? frame.rawInput : applyInputPath(name, frame.rawInput, state.InputPath);
  const waitMs = await waitMilliseconds(frame, effectiveInput);
  await thread.run.clock.sleep(waitMs, thread.signal);
  const finished = await frame.finishWithoutResult(effectiveInput);
  return { ...finished, next: nextOf(state) };
}

async function waitMilliseconds(frame: StateFrame, effectiveInput: unknown): Promise<number> {
  const { state, name } = frame;
  const seconds = await frame.numberField('Seconds', state.Seconds, state.SecondsPath, effectiveInput);
  if (seconds !== undefined) {
    if (seconds < 0) throw new StatesError(StatesErrorName.Runtime, `The Seconds of Wait state '${name}' must not be negative, got ${seconds}`);
    return seconds * 1000;
  }
  let timestamp: unknown = state.Timestamp;
  if (isJsonataTemplate(timestamp)) timestamp = await frame.jsonata(timestamp, 'Timestamp');
  if (state.TimestampPath !== undefined) {
    timestamp = resolvePathValue(name, state.TimestampPath, 'TimestampPath', frame.pathScope(effectiveInput));
  }
  const due = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(due)) {
    throw new StatesError(
      StatesErrorName.Runtime,
      `The Timestamp of Wait state '${name}' must be an RFC 3339 timestamp such as "2024-01-01T00:00:00Z", got ${JSON.stringify(timestamp)}`,
    );
  }
  return Math.max(0, due - frame.thread.run.clock.now().getTime());
}
