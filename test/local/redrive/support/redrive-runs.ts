/** Running a definition on a VirtualClock and redriving the result, for the interpreter's redrive tests. */
import { redriveExecution, runExecution, VirtualClock, type ExecutionResult, type HistoryEvent, type TaskRegistry } from '../../../../local/asl/index.js';

export function startRun(
  definition: object,
  input: unknown,
  tasks: TaskRegistry,
  options: { executionName: string; signal?: AbortSignal; onEvent?: (event: HistoryEvent) => void },
): Promise<ExecutionResult> {
  return runExecution({ definition, input, tasks, clock: new VirtualClock(), ...options });
}

/** RedriveExecution of `earlier` under the same name, with its Map Runs (a Distributed Map keeps its children). */
export function redriveRun(definition: object, earlier: ExecutionResult, tasks: TaskRegistry): Promise<ExecutionResult> {
  return redriveExecution({ definition, history: earlier.history, executionName: earlier.name, tasks, clock: new VirtualClock(), previousMapRuns: earlier.mapRuns });
}
