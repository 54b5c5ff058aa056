/**
 * Create* returns at once and the work runs on in this process, as SageMaker's control plane
 * does. Each job is registered here so Stop* can abort it, and its record carries the owning
 * process id so another process reading the state directory can tell a job that is still running
 * from one whose process died (that one is reported Failed, never InProgress forever).
 */

const running = new Map<string, AbortController>();

export function startBackgroundWork(key: string, work: (signal: AbortSignal) => Promise<void>): void {
  const controller = new AbortController();
  running.set(key, controller);
  // The work records its own failures; this catch only keeps a bug from becoming an unhandled rejection.
  void work(controller.signal)
    .catch((error: unknown) => {
      process.emitWarning(`SageMaker emulator background work ${key} crashed: ${String(error)}`);
    })
    .finally(() => {
      if (running.get(key) === controller) running.delete(key);
    });
}

/** Aborts the job's work; false when this process is not running it. */
export function abortBackgroundWork(key: string): boolean {
  const controller = running.get(key);
  if (controller === undefined) return false;
  controller.abort();
  return true;
}

export function isRunningHere(key: string): boolean {
  return running.has(key);
}

/** True when the process that owns a non-terminal record can no longer finish it. */
export function ownerIsGone(ownerPid: number, key: string): boolean {
  if (ownerPid === process.pid) return !isRunningHere(key);
  try {
    process.kill(ownerPid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
