import { runExecution, type ExecutionOptions, type ExecutionResult } from '../../../local/asl/index.js';
import { VirtualClock } from '../../../local/asl/clock.js';
import { taskRegistryFrom, type TaskHandler } from '../../../local/asl/task-dispatch.js';

/** Runs a definition on a VirtualClock with the given resource → handler map. */
export async function run(
  definition: object,
  input: unknown = {},
  handlers: Record<string, TaskHandler> = {},
  options: Partial<ExecutionOptions> = {},
): Promise<ExecutionResult & { clock: VirtualClock }> {
  const clock = (options.clock as VirtualClock | undefined) ?? new VirtualClock();
  const result = await runExecution({
    definition,
    input,
    tasks: taskRegistryFrom(handlers),
    clock,
    executionName: 'test-execution',
    ...options,
  });
  return { ...result, clock };
}

/** A one-state machine around `state`. */
export function single(state: object, extra: object = {}): object {
  const terminal = ['Succeed', 'Fail', 'Choice'].includes((state as { Type?: string }).Type ?? '');
  return { StartAt: 'Only', States: { Only: terminal ? state : { ...state, End: true } }, ...extra };
}

export const echo: TaskHandler = async ({ parameters }) => parameters;
