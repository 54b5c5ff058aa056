/** The execution was stopped from outside (ExecutionOptions.signal): nothing retries or catches it. */
export class ExecutionAbortedError extends Error {
  constructor(override readonly cause?: string) {
    super(cause ?? 'execution aborted');
    this.name = 'ExecutionAbortedError';
  }
}
