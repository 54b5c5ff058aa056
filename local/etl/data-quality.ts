/**
 * How CheckDataQuality binds glue-scripts/sql/data_quality.sql: the Athena ExecutionParameters
 * in the order of the `?` placeholders (documented in the SQL file's header), and the rule
 * names its rows carry.
 */
export {
  DATA_QUALITY_PARAMETERS,
  DATA_QUALITY_RULES,
  dataQualityExecutionParameters,
  dataQualityThresholds,
  RUN_ID_PATTERN,
  type DataQualityParameter,
  type DataQualityRule,
} from '../../workflow/data-quality-parameters.js';
