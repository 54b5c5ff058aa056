/**
 * Stage 3, data quality: Athena evaluates every data-quality rule on the run's gold baskets, the
 * rows become `$dataQuality` (with the configured thresholds), and the gate lets the run go on only
 * when the query returned rules and every one passed; otherwise DataQualityFailed ends it.
 *
 * Written as the optimized Athena integration directly (not CDK's Athena tasks, which grant s3 and
 * athena:getQueryResults on "*"): the policies name the workgroup, the catalog, the one table and
 * the workgroup's result prefix.
 */
import { type Stack, aws_iam as iam, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { dataQualityThresholds } from '../data-quality-parameters.js';
import { jsonata, runValueExpressions } from '../jsonata.js';
import { ErrorName, StateName } from '../names.js';
import type { PipelineDefinitionProps } from '../pipeline-definition.js';
import { guard, RetryPolicies } from '../retry-policies.js';
import { ATHENA_RESULTS_PREFIX } from '../s3-layout.js';
import { type StageContext, type StageFragment, Variable } from './shared.js';

/** Athena's default Glue Data Catalog. */
const ATHENA_CATALOG = 'AwsDataCatalog';

/** The stage ends in its gate, which goes to `passed` when every rule passed: nothing to chain after it. */
export function buildDataQualityStage(
  { scope, props, config, stack, notifyFailure }: StageContext,
  passed: sfn.IChainable,
): Omit<StageFragment, 'end'> {
  const checkDataQuality = guard(
    new sfn.CustomState(scope, StateName.CheckDataQuality, {
      stateJson: {
        Type: 'Task',
        Comment: 'Athena: evaluates every data-quality rule on this run\'s gold baskets.',
        Resource: `arn:${stack.partition}:states:::athena:startQueryExecution.sync`,
        Arguments: {
          QueryString: props.dataQualitySql,
          QueryExecutionContext: { Catalog: ATHENA_CATALOG, Database: props.athenaDatabase },
          // The workgroup enforces its result location and encryption.
          WorkGroup: props.athenaWorkGroup,
          ExecutionParameters: runValueExpressions(props.dataQualityExecutionParameters),
        },
        Assign: { [Variable.DataQueryId]: jsonata('$states.result.QueryExecution.QueryExecutionId') },
      },
    }),
    StateName.CheckDataQuality,
    RetryPolicies.athena,
    notifyFailure,
  );
  const readDataQuality = guard(
    new sfn.CustomState(scope, StateName.ReadDataQualityResults, {
      stateJson: {
        Type: 'Task',
        Comment: 'Reads one row per rule: rule, measured, passed (header row skipped); the threshold comes from the configuration.',
        Resource: `arn:${stack.partition}:states:::athena:getQueryResults`,
        Arguments: { QueryExecutionId: jsonata(`$${Variable.DataQueryId}`) },
        Assign: {
          [Variable.DataQuality]: jsonata(
            `[$filter($states.result.ResultSet.Rows, function($row, $i) { $i > 0 }).{'rule': Data[0].VarCharValue, 'measured': Data[1].VarCharValue, 'threshold': $string($lookup(${JSON.stringify(dataQualityThresholds(config.dataQuality))}, Data[0].VarCharValue)), 'passed': Data[2].VarCharValue = 'true'}]`,
          ),
        },
        Output: jsonata('$states.result.ResultSet.ResultSetMetadata'),
      },
    }),
    StateName.ReadDataQualityResults,
    RetryPolicies.athena,
    notifyFailure,
  );
  const dataQualityFailed = sfn.Fail.jsonata(scope, StateName.DataQualityFailed, {
    stateName: StateName.DataQualityFailed,
    comment: 'Gold breaches a data-quality rule: nothing is trained, registered or deployed.',
    error: ErrorName.DataQualityFailed,
    cause: jsonata(
      `$count($${Variable.DataQuality}) = 0 ? 'The data-quality query returned no rules' : 'Data-quality rules breached: ' & $join($${Variable.DataQuality}[passed = false].(rule & ' measured ' & measured & ' (threshold ' & threshold & ')'), '; ')`,
    ),
  });
  const dataQualityGate = sfn.Choice.jsonata(scope, StateName.DataQualityGate, {
    stateName: StateName.DataQualityGate,
    comment: 'Passes when the query returned rules and every rule passed.',
  })
    .when(sfn.Condition.jsonata(jsonata(`$count($${Variable.DataQuality}) > 0 and $count($${Variable.DataQuality}[passed = false]) = 0`)), passed)
    .otherwise(dataQualityFailed);
  checkDataQuality.next(readDataQuality);
  readDataQuality.next(dataQualityGate);
  return { start: checkDataQuality, policyStatements: athenaPolicies(stack, props) };
}

/**
 * What StartQueryExecution (.sync: plus GetQueryExecution/StopQueryExecution) and
 * GetQueryResults need, scoped: the workgroup, the catalog, the database and its tables, and the
 * workgroup's result prefix. The gold objects the query reads and the KMS key are granted by the
 * stack (the state machine also lists gold for the Distributed Map).
 */
function athenaPolicies(stack: Stack, props: PipelineDefinitionProps): iam.PolicyStatement[] {
  const glueArn = (resource: string) => stack.formatArn({ service: 'glue', resource, arnFormat: undefined });
  const results = `${ATHENA_RESULTS_PREFIX}*`;
  return [
    new iam.PolicyStatement({
      actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryResults'],
      resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: props.athenaWorkGroup })],
    }),
    new iam.PolicyStatement({
      actions: ['athena:GetDataCatalog'],
      resources: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: ATHENA_CATALOG })],
    }),
    new iam.PolicyStatement({
      actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions'],
      resources: [glueArn('catalog'), glueArn(`database/${props.athenaDatabase}`), glueArn(`table/${props.athenaDatabase}/*`)],
    }),
    new iam.PolicyStatement({
      actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
      resources: [props.artifactsBucket.bucketArn],
    }),
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [props.artifactsBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [ATHENA_RESULTS_PREFIX, results] } },
    }),
    new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [props.artifactsBucket.arnForObjects(results)],
    }),
  ];
}
