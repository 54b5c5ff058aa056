import { applyInputPath, applyPayloadTemplate } from '../data-flow/state-io.js';
import { StatesError } from '../errors/states-error.js';
import type { StateFrame, StateOutput } from '../state-frame.js';
import { runStates, type StateOutcome } from '../state-runner.js';
import { takeRedriveReuse } from '../redrive-reuse.js';
import { childThread, runBounded } from '../threads.js';
import { runWithRetryAndCatch } from './error-handling.js';

/**
 * Parallel: every branch gets the same input and runs concurrently; the result is the array of
 * branch outputs in branch order. The first failing branch fails the state with its own error.
 */
export function executeParallelState(frame: StateFrame): Promise<StateOutcome> {
  return runWithRetryAndCatch(frame, () => attemptParallel(frame));
}

async function attemptParallel(frame: StateFrame): Promise<StateOutput> {
  const { state, name, thread } = frame;
  const { run } = thread;
  let branchInput: unknown;
  if (frame.isJsonata) {
    branchInput = state.Arguments === undefined ? frame.rawInput : await frame.jsonata(state.Arguments, 'Arguments');
  } else {
    const effectiveInput = applyInputPath(frame.pathScope(frame.rawInput), state.InputPath);
    branchInput = applyPayloadTemplate(state.Parameters, frame.pathScope(effectiveInput), 'Parameters');
  }
  const started = run.history.append(thread.cursor, 'ParallelStateStarted');
  const branches = state.Branches ?? [];
  // A redrive keeps the branches that succeeded before and re-runs only the others.
  const kept = takeRedriveReuse(run.redriveReuse, name)?.results;
  const control = new AbortController();
  const signal = AbortSignal.any([thread.signal, control.signal]);
  let results: unknown[];
  try {
    results = await runBounded(branches.length, 0, control, async (index) =>
      // each branch on its own signal that follows this state's: branches' tasks would pile listeners on one
      kept?.has(index) ? kept.get(index) : runStates(branches[index]!, branchInput, childThread(thread, started.id, AbortSignal.any([signal]))),
    );
  } catch (error) {
    if (error instanceof StatesError) {
      run.history.append(thread.cursor, 'ParallelStateFailed');
    }
    throw error;
  }
  run.history.append(thread.cursor, 'ParallelStateSucceeded');
  return frame.finishWithResult(results);
}
