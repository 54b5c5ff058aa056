/**
 * Reads execution histories in the shapes pricesense produces and AWS returns: `record` output
 * `{execution, definition?, events}`, a local `history.json` `{events}`, or a bare event array.
 * Timestamps may be Date objects or the ISO/epoch values the SDK JSON serializes them as.
 */
import { readFileSync } from 'node:fs';
import type { HistoryEvent, MapRunRecord } from '../asl/index.js';

export interface RecordedExecution {
  /** DescribeExecution-shaped facts, when the file has them. */
  execution?: Record<string, unknown>;
  /** The ASL the execution ran, when the file has it. */
  definition?: unknown;
  events: HistoryEvent[];
  /**
   * Distributed Map runs with their child executions (local `map-runs.json`, or added to a
   * recording by hand): the children's Task results are not in the parent history, so replay
   * feeds them from here.
   */
  mapRuns?: MapRunRecord[];
}

export class HistoryFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryFileError';
  }
}

function toDate(value: unknown, where: string): Date {
  const date = value instanceof Date ? value : typeof value === 'number' ? new Date(value < 1e11 ? value * 1000 : value) : new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new HistoryFileError(`${where}.timestamp is not a date: ${JSON.stringify(value)}`);
  return date;
}

function toEventId(value: unknown, where: string): number {
  const id = typeof value === 'string' ? Number(value) : value;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
    throw new HistoryFileError(`${where} is not a non-negative integer event id: ${JSON.stringify(value)}`);
  }
  return id;
}

/** Normalizes parsed JSON into typed events; errors name the event and field that is wrong. */
export function parseRecordedExecution(parsed: unknown, source = 'history'): RecordedExecution {
  let container: Record<string, unknown>;
  if (Array.isArray(parsed)) container = { events: parsed };
  else if (parsed !== null && typeof parsed === 'object') container = parsed as Record<string, unknown>;
  else throw new HistoryFileError(`${source} must be a JSON object with an "events" array (or an array of events), got ${typeof parsed}`);
  const rawEvents = container.events;
  if (!Array.isArray(rawEvents)) {
    throw new HistoryFileError(`${source} has no "events" array; expected {events: [...]} as written by \`pricesense record\` or a local history.json`);
  }
  const events = parseEvents(rawEvents, source);
  let definition = container.definition;

  if (typeof definition === 'string') {
    try {
      definition = JSON.parse(definition) as unknown;
    } catch (error) {
      throw new HistoryFileError(`${source} "definition" is a string but not JSON: ${(error as Error).message}`);
    }
  }
  const mapRuns = container.mapRuns === undefined ? undefined : parseMapRuns(container.mapRuns, source);
  return {
    ...(container.execution && typeof container.execution === 'object' ? { execution: container.execution as Record<string, unknown> } : {}),
    ...(definition !== undefined ? { definition } : {}),
    events,
    ...(mapRuns !== undefined ? { mapRuns } : {}),
  };
}

function parseEvents(rawEvents: unknown[], source: string): HistoryEvent[] {
  const events = rawEvents.map((raw, index): HistoryEvent => {
    const where = `${source} events[${index}]`;
    if (raw === null || typeof raw !== 'object') throw new HistoryFileError(`${where} is not an object`);
    const event = raw as Record<string, unknown>;
    if (typeof event.type !== 'string') throw new HistoryFileError(`${where}.type must be a history event type string, got ${JSON.stringify(event.type)}`);
    return {
      ...(event as object),
      type: event.type as HistoryEvent['type'],
      id: toEventId(event.id, `${where}.id`),
      previousEventId: event.previousEventId === undefined ? 0 : toEventId(event.previousEventId, `${where}.previousEventId`),
      timestamp: toDate(event.timestamp ?? 0, where),
    };
  });
  events.sort((a, b) => a.id - b.id);
  return events;
}

function parseMapRuns(raw: unknown, source: string): MapRunRecord[] {
  if (!Array.isArray(raw)) throw new HistoryFileError(`${source} "mapRuns" must be an array of Map Run records, got ${typeof raw}`);
  return raw.map((run, runIndex): MapRunRecord => {
    const where = `${source} mapRuns[${runIndex}]`;
    const record = run as Partial<MapRunRecord> | null;
    if (!record || typeof record.stateName !== 'string' || !Array.isArray(record.executions)) {
      throw new HistoryFileError(`${where} must be {mapRunArn, stateName, status, executions: [...]}`);
    }
    return {
      ...(record as MapRunRecord),
      executions: record.executions.map((child, childIndex) => {
        if (!child || typeof child.index !== 'number' || !Array.isArray(child.history)) {
          throw new HistoryFileError(`${where}.executions[${childIndex}] must have a numeric index and a history array`);
        }
        return { ...child, history: parseEvents(child.history, `${where}.executions[${childIndex}].history`) };
      }),
    };
  });
}

export function readRecordedExecution(file: string): RecordedExecution {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new HistoryFileError(`Cannot read history file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HistoryFileError(`History file ${file} is not JSON: ${(error as Error).message}`);
  }
  return parseRecordedExecution(parsed, file);
}

/** The execution input, from the ExecutionStarted event. */
export function executionInputOf(events: readonly HistoryEvent[]): unknown {
  const started = events.find((event) => event.type === 'ExecutionStarted');
  const text = started?.executionStartedEventDetails?.input;
  return text === undefined ? {} : (JSON.parse(text) as unknown);
}

/** A definition file: plain ASL, or a recording / DescribeStateMachine output holding a `definition`. */
export function readDefinitionFile(file: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new HistoryFileError(`Cannot read the definition file ${file}: ${(error as Error).message}`);
  }
  const record = parsed as Record<string, unknown> | null;
  if (record && typeof record === 'object' && 'States' in record) return record;
  if (record && typeof record === 'object' && record.definition !== undefined) {
    return typeof record.definition === 'string' ? (JSON.parse(record.definition) as unknown) : record.definition;
  }
  throw new HistoryFileError(`${file} is neither an ASL definition (with States) nor a file with a "definition" field`);
}
