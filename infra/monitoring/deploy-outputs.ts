/**
 * Stack outputs the deploy guide (docs/DEPLOY.md) tells the user to read with
 * `aws cloudformation describe-stacks`: where to upload, what to watch, what to call.
 */
import { CfnOutput, type Stack, aws_apigateway as apigw, aws_cloudwatch as cloudwatch, aws_dynamodb as dynamodb, aws_s3 as s3, aws_sns as sns, aws_stepfunctions as sfn } from 'aws-cdk-lib';

export const DeployOutput = {
  RawBucketName: 'RawBucketName',
  StateMachineArn: 'StateMachineArn',
  NotificationsTopicArn: 'NotificationsTopicArn',
  DashboardName: 'DashboardName',
  InferenceLogTableName: 'InferenceLogTableName',
  PredictApiUrl: 'PredictApiUrl',
} as const;

export function createDeployOutputs(
  stack: Stack,
  resources: { rawBucket: s3.IBucket; stateMachine: sfn.IStateMachine; topic: sns.ITopic; dashboard: cloudwatch.Dashboard; inferenceTable: dynamodb.ITable; predictApi?: apigw.RestApi },
): void {
  new CfnOutput(stack, DeployOutput.RawBucketName, { value: resources.rawBucket.bucketName, description: 'Upload raw CSVs under raw/ here to start a run' });
  new CfnOutput(stack, DeployOutput.StateMachineArn, { value: resources.stateMachine.stateMachineArn, description: 'The pipeline state machine (console: Step Functions → pricesense-pipeline)' });
  new CfnOutput(stack, DeployOutput.NotificationsTopicArn, { value: resources.topic.topicArn, description: 'Subscribe to receive success/failure notifications and alarms' });
  new CfnOutput(stack, DeployOutput.DashboardName, { value: resources.dashboard.dashboardName, description: 'CloudWatch dashboard' });
  new CfnOutput(stack, DeployOutput.InferenceLogTableName, { value: resources.inferenceTable.tableName, description: 'DynamoDB inference log of /predict' });
  if (resources.predictApi) {
    new CfnOutput(stack, DeployOutput.PredictApiUrl, { value: resources.predictApi.urlForPath('/predict'), description: 'POST a basket here (IAM/SigV4 signed)' });
  }
}
