/** One place where a replay does not do what the recording did. */
export interface Divergence {
  kind:
    | 'task-input'
    | 'no-recorded-result'
    | 'unused-recorded-result'
    | 'state-input'
    | 'state-not-reached'
    | 'unexpected-state'
    | 'outcome';
  state?: string;
  mapIndex?: number;
  /** 0-based: which visit of the state (or invocation of the Task) in that iteration. */
  invocation?: number;
  recordedInput?: unknown;
  replayedInput?: unknown;
  recorded?: unknown;
  replayed?: unknown;
  message: string;
}
