/** A mistake in how a command was called: printed with the usage line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes shared by every command. */
export const ExitCode = { Succeeded: 0, Failed: 1, Usage: 2 } as const;
