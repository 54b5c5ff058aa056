/**
 * History events carry inputs, outputs and parameters as JSON text (GetExecutionHistory's shape);
 * readers want the value. Text that is not JSON (a truncated or plain-string payload) stays text.
 */
export function parseHistoryJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
