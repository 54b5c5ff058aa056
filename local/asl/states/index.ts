import type { StateDefinition } from '../definition.js';
import type { StateExecutor } from '../state-runner.js';
import { executeChoiceState } from './choice-state.js';
import { executeFailState } from './fail-state.js';
import { executeMapState } from './map-state.js';
import { executeParallelState } from './parallel-state.js';
import { executePassState } from './pass-state.js';
import { executeSucceedState } from './succeed-state.js';
import { executeTaskState } from './task-state.js';
import { executeWaitState } from './wait-state.js';

/** One executor per ASL state type. */
export const stateExecutors: Record<StateDefinition['Type'], StateExecutor> = {
  Task: executeTaskState,
  Pass: executePassState,
  Choice: executeChoiceState,
  Wait: executeWaitState,
  Succeed: executeSucceedState,
  Fail: executeFailState,
  Parallel: executeParallelState,
  Map: executeMapState,
};
