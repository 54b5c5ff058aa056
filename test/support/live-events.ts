/**
 * The events a running local execution has written so far (`executions/<name>/events.jsonl`),
 * read while the writer may be mid-line: a torn last line is skipped, a missing file is no events.
 */
import { existsSync, readFileSync } from 'node:fs';

export function liveEvents<Event>(file: string): Event[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').flatMap((line) => {
    try {
      return line.trim() ? [JSON.parse(line) as Event] : [];
    } catch {
      return []; // a line being written
    }
  });
}
