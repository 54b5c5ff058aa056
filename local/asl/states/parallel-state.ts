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
 * On a redrive's first attempt, branches that succeeded before are kept and the others continue at
 * the state they stopped in (see redrive-reuse.ts).
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
  // A redrive keeps the branches that succeeded before and resumes the others where they stopped.
  const reuse = takeRedriveReuse(thread.redriveReuse, name);
  const control = new AbortController();
  const signal = AbortSignal.any([thread.signal, control.signal]);
  let results: unknown[];
  try {
    results = await runBounded(branches.length, 0, control, async (index) => {
      if (reuse?.results.has(index)) return reuse.results.get(index);
      // each branch on its own signal that follows this state's: branches' tasks would pile listeners on one
      const branchThread = childThread(thread, started.id, AbortSignal.any([signal]));
      const resume = reuse?.resumes.get(index);
      if (!resume) return runStates(branches[index]!, branchInput, branchThread);
      if (resume.at.variables) branchThread.variables.assign(resume.at.variables);
      if (resume.reuse) branchThread.redriveReuse = resume.reuse;
      return runStates(branches[index]!, resume.at.input, branchThread, resume.at.stateName);
    });
  } catch (error) {
    if (error instanceof StatesError) {
      run.history.append(thread.cursor, 'ParallelStateFailed');
    }
    throw error;
  }
  run.history.append(thread.cursor, 'ParallelStateSucceeded');
  return frame.finishWithResult(results);
}
