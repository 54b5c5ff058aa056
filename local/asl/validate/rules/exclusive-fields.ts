import { definitionProblem } from '../definition-problem.js';
import { isObject, type JsonObject, type StateVisit } from '../definition-walk.js';

/** Field groups of which a state may set at most one (a literal and its *Path twin, old and new names). */
const AT_MOST_ONE: { types: string[]; within?: string; fields: string[] }[] = [
  { types: ['Task'], fields: ['TimeoutSeconds', 'TimeoutSecondsPath'] },
  { types: ['Task'], fields: ['HeartbeatSeconds', 'HeartbeatSecondsPath'] },
  { types: ['Map'], fields: ['ItemProcessor', 'Iterator'] },
  { types: ['Map'], fields: ['ItemSelector', 'Parameters'] },
  { types: ['Map'], fields: ['Items', 'ItemsPath'] },
  { types: ['Map'], fields: ['MaxConcurrency', 'MaxConcurrencyPath'] },
  { types: ['Map'], fields: ['ToleratedFailureCount', 'ToleratedFailureCountPath'] },
  { types: ['Map'], fields: ['ToleratedFailurePercentage', 'ToleratedFailurePercentagePath'] },
  { types: ['Map'], within: 'ItemReader.ReaderConfig', fields: ['MaxItems', 'MaxItemsPath'] },
  { types: ['Map'], within: 'ItemBatcher', fields: ['MaxItemsPerBatch', 'MaxItemsPerBatchPath'] },
  { types: ['Map'], within: 'ItemBatcher', fields: ['MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath'] },
  { types: ['Fail'], fields: ['Error', 'ErrorPath'] },
  { types: ['Fail'], fields: ['Cause', 'CausePath'] },
];

/** A Wait state waits for exactly one of these. */
const WAIT_DURATIONS = ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'];

export function checkExclusiveFields({ path, state }: StateVisit): void {
  for (const group of AT_MOST_ONE) {
    if (!group.types.includes(state.Type as string)) continue;
    const holder = group.within === undefined ? state : nested(state, group.within);
    if (holder === undefined) continue;
    const present = group.fields.filter((field) => holder[field] !== undefined);
    if (present.length > 1) {
      const prefix = group.within === undefined ? '' : `${group.within}.`;
      throw definitionProblem(path, `${prefix}${present[1]}`, `${present.join(' and ')} cannot both be set; use one of ${group.fields.join(', ')}`);
    }
  }
  if (state.Type === 'Wait') {
    const present = WAIT_DURATIONS.filter((field) => state[field] !== undefined);
    if (present.length !== 1) {
      throw definitionProblem(
        path,
        present[1] ?? 'Seconds',
        `a Wait state needs exactly one of ${WAIT_DURATIONS.join(', ')}, got ${present.length === 0 ? 'none' : present.join(' and ')}`,
      );
    }
  }
}

function nested(state: JsonObject, dottedPath: string): JsonObject | undefined {
  let value: unknown = state;
  for (const key of dottedPath.split('.')) value = isObject(value) ? value[key] : undefined;
  return isObject(value) ? value : undefined;
}
