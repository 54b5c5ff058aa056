import { applyInputPath, plainText, resolvePathNumber } from '../data-flow/state-io.js';
import { isJsonataTemplate } from '../data-flow/jsonata.js';
import { resolveReference } from '../data-flow/jsonpath.js';
import { StatesErrorName } from '../errors/error-names.js';
import { StateFailure } from '../errors/state-failure.js';
import type { StateFrame } from '../state-frame.js';
import { nextOf, type StateOutcome } from '../state-runner.js';
import { parseIsoOffsetDateTime } from '../timestamps.js';

/**
 * The longest wait AWS accepts: its delay is a signed 32-bit number of seconds (a Timestamp 24,855
 * days ahead waits, 24,856 days ahead fails with "Wait state delay is too long.").
 */
const MAX_WAIT_SECONDS = 2_147_483_647;

/** Wait: sleeps on the clock for Seconds, or until Timestamp (literal, path or JSONata). */
export async function executeWaitState(frame: StateFrame): Promise<StateOutcome> {
  const { state, thread } = frame;
  const effectiveInput = frame.isJsonata ? frame.rawInput : applyInputPath(frame.pathScope(frame.rawInput), state.InputPath);
  const waitMs = await waitMilliseconds(frame, effectiveInput);
  await thread.run.clock.sleep(waitMs, thread.signal);
  const finished = await frame.finishWithoutResult(effectiveInput);
  return { ...finished, next: nextOf(state) };
}

async function waitMilliseconds(frame: StateFrame, effectiveInput: unknown): Promise<number> {
  const { state } = frame;
  let seconds: number | undefined;
  if (state.SecondsPath !== undefined && !frame.isJsonata) {
    seconds = resolvePathNumber(state.SecondsPath, 'SecondsPath', frame.pathScope(effectiveInput), 'seconds');
  } else {
    seconds = await frame.numberField('Seconds', state.Seconds, undefined, effectiveInput);
  }
  if (seconds !== undefined) {
    if (seconds < 0) throw new StateFailure(StatesErrorName.Runtime, `The Seconds field references a negative value: ${seconds}`);
    return checkedDelay(seconds * 1000);
  }
  let due: number | undefined;
  if (isJsonataTemplate(state.Timestamp)) {
    const timestamp = await frame.jsonata(state.Timestamp, 'Timestamp');
    due = typeof timestamp === 'string' ? parseIsoOffsetDateTime(timestamp) : undefined;
    if (due === undefined) {
      throw new StateFailure(
        StatesErrorName.QueryEvaluationError,
        `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${plainText(timestamp)}`,
      );
    }
  } else if (state.TimestampPath !== undefined) {
    const path = state.TimestampPath;
    const lookup = resolveReference(path, frame.pathScope(effectiveInput));
    if (!lookup.found) throw new StateFailure(StatesErrorName.Runtime, `The TimestampPath parameter does not reference an input value: ${path}`);
    due = typeof lookup.value === 'string' ? parseIsoOffsetDateTime(lookup.value) : undefined;
    if (due === undefined) {
      throw new StateFailure(
        StatesErrorName.Runtime,
        `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${path} == ${plainText(lookup.value)}`,
      );
    }
  } else if (typeof state.Timestamp === 'string') {
    // A literal Timestamp was checked when the definition was loaded.
    due = parseIsoOffsetDateTime(state.Timestamp) ?? Date.parse(state.Timestamp);
  }
  if (due === undefined || Number.isNaN(due)) return 0;
  return checkedDelay(Math.max(0, due - frame.thread.run.clock.now().getTime()));
}

function checkedDelay(ms: number): number {
  if (ms / 1000 > MAX_WAIT_SECONDS) throw new StateFailure(StatesErrorName.Runtime, 'Wait state delay is too long.');
  return ms;
}
