/**
 * A `.sync` task cancelled while its job runs (its Parallel branch stopped because the other
 * failed, or the execution stopped): Step Functions stops the job, best effort, with the Stop*
 * call its role is granted for that. A job already finished, or a denied stop, is left as is.
 */
export async function stopJobIfCancelled<T>(signal: AbortSignal, stop: () => Promise<unknown>, waitForJob: () => Promise<T>): Promise<T> {
  const stopJob = () => void stop().catch(() => undefined);
  signal.addEventListener('abort', stopJob, { once: true });
  if (signal.aborted) stopJob();
  try {
    return await waitForJob();
  } finally {
    signal.removeEventListener('abort', stopJob);
  }
}
