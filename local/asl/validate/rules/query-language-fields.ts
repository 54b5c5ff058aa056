import { definitionProblem } from '../definition-problem.js';
import { isObject, type StateVisit } from '../definition-walk.js';

/** Fields that only mean something in JSONPath states (JSONata states use Arguments/Output/Items). */
export const JSONPATH_ONLY_FIELDS = [
  'InputPath',
  'Parameters',
  'ResultSelector',
  'ResultPath',
  'OutputPath',
  'Result',
  'ItemsPath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'SecondsPath',
  'TimestampPath',
  'ErrorPath',
  'CausePath',
  'MaxConcurrencyPath',
  'ToleratedFailureCountPath',
  'ToleratedFailurePercentagePath',
] as const;

/** Fields that only exist in JSONata states. */
export const JSONATA_ONLY_FIELDS = ['Arguments', 'Output', 'Items'] as const;

const COMPARISON_OPERATOR =
  /^(?:(?:String|Numeric|Boolean|Timestamp)(?:Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(?:Path)?|StringMatches|Is(?:Null|Present|Numeric|String|Boolean|Timestamp))$/;
const JSONPATH_RULE_FIELDS = (key: string) => key === 'Variable' || key === 'And' || key === 'Or' || key === 'Not' || COMPARISON_OPERATOR.test(key);

/**
 * Keeps each state to the fields of its query language, and a JSONata top level free of JSONPath
 * states (AWS does not allow switching back).
 */
export function checkQueryLanguageFields(visit: StateVisit, topLevelLanguage: 'JSONPath' | 'JSONata'): void {
  const { path, state, queryLanguage } = visit;
  if (topLevelLanguage === 'JSONata' && state.QueryLanguage === 'JSONPath') {
    throw definitionProblem(path, 'QueryLanguage', 'a state cannot use JSONPath when the state machine\'s top-level QueryLanguage is JSONata');
  }
  const forbidden: readonly string[] = queryLanguage === 'JSONata' ? JSONPATH_ONLY_FIELDS : JSONATA_ONLY_FIELDS;
  const other = queryLanguage === 'JSONata' ? 'JSONPath' : 'JSONata';
  for (const field of forbidden) {
    if (state[field] !== undefined) {
      throw definitionProblem(path, field, `${field} is a ${other} field and this state uses ${queryLanguage}${advice(field, queryLanguage)}`);
    }
  }
  if (state.Type === 'Map' && queryLanguage === 'JSONata' && isObject(state.ItemReader) && isObject(state.ItemReader.ReaderConfig) && state.ItemReader.ReaderConfig.MaxItemsPath !== undefined) {
    throw definitionProblem(path, 'ItemReader.ReaderConfig.MaxItemsPath', `MaxItemsPath is a JSONPath field and this state uses JSONata; write MaxItems as a {% %} expression`);
  }
  if (state.Type === 'Map' && queryLanguage === 'JSONata' && isObject(state.ItemBatcher)) {
    for (const field of ['MaxItemsPerBatchPath', 'MaxInputBytesPerBatchPath']) {
      if (state.ItemBatcher[field] !== undefined) {
        throw definitionProblem(path, `ItemBatcher.${field}`, `${field} is a JSONPath field and this state uses JSONata; write ${field.slice(0, -4)} as a {% %} expression`);
      }
    }
  }
  if (isObject(state.ItemReader)) {
    const field = queryLanguage === 'JSONata' ? 'Parameters' : 'Arguments';
    if (state.ItemReader[field] !== undefined) {
      const instead = field === 'Parameters' ? 'Arguments' : 'Parameters';
      throw definitionProblem(path, `ItemReader.${field}`, `ItemReader.${field} is a ${other} field and this state uses ${queryLanguage}; use ItemReader.${instead} instead`);
    }
  }
  if (Array.isArray(state.Catch)) {
    state.Catch.forEach((catcher, index) => {
      if (!isObject(catcher)) return;
      const field = queryLanguage === 'JSONata' ? 'ResultPath' : 'Output';
      if (catcher[field] !== undefined) {
        throw definitionProblem(path, `Catch[${index}].${field}`, `${field} is a ${other} field and this state uses ${queryLanguage}${advice(field, queryLanguage)}`);
      }
    });
  }
  if (state.Type === 'Choice' && Array.isArray(state.Choices)) {
    state.Choices.forEach((rule, index) => {
      if (!isObject(rule)) return;
      if (queryLanguage === 'JSONata') {
        const jsonPathField = Object.keys(rule).find(JSONPATH_RULE_FIELDS);
        if (jsonPathField !== undefined) {
          throw definitionProblem(path, `Choices[${index}].${jsonPathField}`, `${jsonPathField} is a JSONPath choice rule field and this state uses JSONata; write the test as Condition: "{% ... %}"`);
        }
        if (rule.Condition === undefined) throw definitionProblem(path, `Choices[${index}].Condition`, 'a JSONata choice rule needs a Condition');
      } else if (rule.Condition !== undefined) {
        throw definitionProblem(path, `Choices[${index}].Condition`, 'Condition is a JSONata field and this state uses JSONPath; use Variable with a comparison operator, or set "QueryLanguage": "JSONata"');
      }
    });
  }
}

function advice(field: string, language: 'JSONPath' | 'JSONata'): string {
  if (language === 'JSONPath') return `; set "QueryLanguage": "JSONata" on the state to use it`;
  const replacement: Record<string, string> = {
    Parameters: 'Arguments',
    ResultSelector: 'Output',
    ResultPath: 'Output (and Assign)',
    OutputPath: 'Output',
    InputPath: 'Arguments or Output with $states.input',
    Result: 'Output',
    ItemsPath: 'Items',
  };
  const instead = replacement[field] ?? `${field.replace(/Path$/, '')} with a {% %} expression`;
  return `; use ${instead} instead`;
}
