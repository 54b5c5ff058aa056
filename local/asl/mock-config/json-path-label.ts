/** A path segment always shown in brackets, such as an invocation key: `R["0"]`, never `R.0`. */
export interface BracketedKey {
  bracketed: string;
}

/** Renders a path into the mock file the way a reader finds it: `MockedResponses.TrainFails["0-x"]`. */
export function jsonPathLabel(segments: readonly (PropertyKey | BracketedKey)[]): string {
  let label = '';
  for (const segment of segments) {
    if (typeof segment === 'object') label += `[${JSON.stringify(segment.bracketed)}]`;
    else if (typeof segment === 'number') label += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) label += label === '' ? segment : `.${segment}`;
    else label += `[${JSON.stringify(String(segment))}]`;
  }
  return label === '' ? '(root)' : label;
}
