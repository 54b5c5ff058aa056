import { definitionProblem } from '../definition-problem.js';
import { isObject, type JsonObject, type StateVisit } from '../definition-walk.js';

/** Valid ASL that the local interpreter cannot run; rejected before the execution starts. */
export interface UnsupportedFeature {
  /** The field as a reader finds it, relative to the state. */
  field: string;
  /** What to do instead. */
  advice: string;
  /** The offending value when the state uses the feature, else undefined. */
  find(state: JsonObject): unknown;
}

const LOCAL_ITEM_READER_INPUT_TYPES = ['JSON', 'JSONL', 'CSV'];
const LOCAL_ITEM_READER_RESOURCES = ['arn:aws:states:::s3:getObject', 'arn:aws:states:::s3:listObjectsV2'];

export const UNSUPPORTED: readonly UnsupportedFeature[] = [
  {
    field: 'ResultWriter',
    advice: 'remove it: the Map output is then the array of child results',
    find: (state) => (state.Type === 'Map' ? state.ResultWriter : undefined),
  },
  {
    field: 'ItemReader.ReaderConfig.InputType',
    advice: `supported locally: ${LOCAL_ITEM_READER_INPUT_TYPES.join(', ')}`,
    find: (state) => {
      const config = isObject(state.ItemReader) ? state.ItemReader.ReaderConfig : undefined;
      const inputType = isObject(config) ? config.InputType : undefined;
      return typeof inputType === 'string' && !inputType.startsWith('{%') && !LOCAL_ITEM_READER_INPUT_TYPES.includes(inputType) ? inputType : undefined;
    },
  },
  {
    field: 'ItemReader.Resource',
    advice: `supported locally: ${LOCAL_ITEM_READER_RESOURCES.join(', ')}`,
    find: (state) => {
      const resource = isObject(state.ItemReader) ? state.ItemReader.Resource : undefined;
      return typeof resource === 'string' && !LOCAL_ITEM_READER_RESOURCES.some((supported) => resource.replace(/^arn:aws[a-z-]*:/, 'arn:aws:') === supported)
        ? resource
        : undefined;
    },
  },
];

export function checkUnsupportedFeatures({ path, state }: StateVisit): void {
  for (const feature of UNSUPPORTED) {
    const value = feature.find(state);
    if (value === undefined) continue;
    const shown = typeof value === 'string' ? ` ${JSON.stringify(value)}` : '';
    throw definitionProblem(path, feature.field, `${feature.field}${shown} is not supported by the local interpreter; ${feature.advice}`);
  }
}
