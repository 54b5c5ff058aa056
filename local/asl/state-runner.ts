import type { StateDefinition } from './definition.js';
import { StatesErrorName } from './errors/error-names.js';
import { StatesError } from './errors/states-error.js';
import { locateStateFailure } from './errors/state-failure.js';
import { dataLimitExceeded, exceedsPayloadLimit } from './limits.js';
import { jsonText, notTruncated } from './history/history-recorder.js';
import type { HistoryEventType } from './history/history-event.js';
import type { Thread } from './run-context.js';
import { StateFrame, type StateOutput } from './state-frame.js';
import { stateExecutors } from './states/index.js';

/** The States/StartAt part of a definition, a Parallel branch or a Map ItemProcessor. */
export interface StateMachineBody {
  StartAt: string;
  States: Record<string, StateDefinition>;
}

/** What a state executor decides: its output and where control goes next (undefined = end). */
export interface StateOutcome extends StateOutput {
  next: string | undefined;
}

export type StateExecutor = (frame: StateFrame) => Promise<StateOutcome>;

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}

/**
 * Runs states from `startAt` until one ends the body, and returns its output. Failures surface as
 * StatesError (after the failing state's own Retry/Catch had their chance).
 */
export async function runStates(body: StateMachineBody, input: unknown, thread: Thread, startAt = body.StartAt): Promise<unknown> {
  let name = startAt;
  let value = input;
  for (;;) {
    if (thread.signal.aborted) throw abortReason(thread.signal);
    const state = body.States[name];
    if (!state) {
      throw new StatesError(StatesErrorName.Runtime, `The state '${name}' does not exist in the definition (states: ${Object.keys(body.States).join(', ')})`);
    }
    const outcome = await executeState(name, state, value, thread);
    if (outcome.next === undefined) return outcome.output;
    name = outcome.next;
    value = outcome.output;
  }
}

/** Enters one state, runs it, records its Entered/Exited events and applies its Assign. */
export async function executeState(name: string, state: StateDefinition, input: unknown, thread: Thread): Promise<StateOutcome> {
  const run = thread.run;
  run.path.push(name);
  const frame = new StateFrame(thread, name, state, input, run.clock.now());
  const enteredType = (state.Type === 'Fail' ? 'FailStateEntered' : `${state.Type}StateEntered`) as HistoryEventType;
  const entered = run.history.append(thread.cursor, enteredType, {
    stateEnteredEventDetails: { name, input: jsonText(input), inputDetails: notTruncated },
  });
  frame.enteredEventId = entered.id;
  const executor = stateExecutors[state.Type];
  if (!executor) throw new StatesError(StatesErrorName.Runtime, `State '${name}' has the unknown Type '${String(state.Type)}'`);
  let outcome: StateOutcome;
  try {
    outcome = await executor(frame);
  } catch (error) {
    throw locateStateFailure(error, name, entered.id);
  }
  const outputText = jsonText(outcome.output);
  // 256 KiB per state output (AWS quotas page): the state fails without exiting.
  if (exceedsPayloadLimit(outputText)) throw dataLimitExceeded(name);
  run.history.append(thread.cursor, `${state.Type}StateExited` as HistoryEventType, {
    stateExitedEventDetails: {
      name,
      output: outputText,
      outputDetails: notTruncated,
      ...(outcome.assigned
        ? {
            assignedVariables: Object.fromEntries(Object.entries(outcome.assigned).map(([key, value]) => [key, jsonText(value)])),
            assignedVariablesDetails: notTruncated,
          }
        : {}),
    },
  });
  // Variables assigned by a state become visible from the next state on.
  if (outcome.assigned) thread.variables.assign(outcome.assigned);
  return outcome;
}

/** Where a state that finished normally goes: Next, or the end of its body. */
export function nextOf(state: StateDefinition): string | undefined {
  return state.End === true ? undefined : state.Next;
}
