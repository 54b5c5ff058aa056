/**
 * Causes as people read them: a Lambda error's cause is the runtime's JSON (errorType,
 * errorMessage, trace) — the message comes first, the trace is kept for folding, and paths of the
 * machine that ran it (home folders, the checkout, file:// URLs) are cut to what is portable.
 */
export interface ReadableCause {
  message: string;
  errorType?: string;
  trace?: string;
}

const LOCAL_PATH = /(?:file:\/\/)?(?:\/(?:home|Users|work|tmp|private|var|root|opt)\/[^\s"'():]*?\/)((?:local|tasks|workflow|infra|node_modules|glue-scripts|test)\/[^\s"'():]+)/g;
const ANY_ABSOLUTE = /(?:file:\/\/)?\/(?:home|Users|work|tmp|private|root)\/[^\s"'():]+/g;

export function withoutLocalPaths(text: string): string {
  return text.replace(LOCAL_PATH, '$1').replace(ANY_ABSOLUTE, '<local path>');
}

export function readableCause(cause: string | undefined): ReadableCause | undefined {
  if (cause === undefined) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown; errorType?: unknown; trace?: unknown; stackTrace?: unknown };
    if (parsed && typeof parsed === 'object' && typeof parsed.errorMessage === 'string') {
      const trace = Array.isArray(parsed.trace) ? parsed.trace : Array.isArray(parsed.stackTrace) ? parsed.stackTrace : undefined;
      return {
        message: withoutLocalPaths(parsed.errorMessage),
        ...(typeof parsed.errorType === 'string' ? { errorType: parsed.errorType } : {}),
        ...(trace ? { trace: withoutLocalPaths(trace.map(String).join('\n')) } : {}),
      };
    }
  } catch {
    // not JSON: already text
  }
  return { message: withoutLocalPaths(cause) };
}
