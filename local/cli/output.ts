/**
 * Output helpers every command shares: JSON on stdout as one line, and a closed pipe
 * (`pricesense executions | head`) ending the process quietly instead of with an EPIPE stack.
 */
let installed = false;

/** A reader that went away (EPIPE) is not an error of ours: exit with what we have. */
export function handleClosedPipes(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}

export function writeJsonLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Human output: a ratio as a percentage with one decimal, a number to at most 3 significant decimals. */
export function roundForHumans(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Number(value.toPrecision(4)).toString();
}
