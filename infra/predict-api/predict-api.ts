/**
 * POST /predict on API Gateway: IAM (SigV4) authorization, the basket envelope validated by a
 * JSON-schema model before the Lambda runs, a throttled `prod` stage with X-Ray tracing, error
 * logging and KMS-encrypted access logs, and a 1 % X-Ray sampling rule for its traces.
 *
 * Created in the stack's own scope (not a child construct): the API's path names the Lambda
 * permission it invokes through and its deployment, so a child scope would change logical IDs.
 */
import { RemovalPolicy, type Stack, Validations, aws_apigateway as apigw, type aws_kms as kms, type aws_lambda as lambda, aws_logs as logs, aws_xray as xray } from 'aws-cdk-lib';
import { MAX_BASKET_ITEMS } from '../../tasks/core/predict/basket-request.js';
import { acknowledgeRule } from '../nag-acknowledgements.js';

/** The /predict API stage (X-Ray names the API's traces `<api>/<stage>`). */
export const PREDICT_API_STAGE = 'prod';
export const PREDICT_API_NAME = 'pricesense-predict';

export interface PredictApiProps {
  predictFunction: lambda.IFunction;
  /** Encrypts the access-log group. */
  key: kms.IKey;
}

export function createPredictApi(stack: Stack, props: PredictApiProps): apigw.RestApi {
  const accessLogs = new logs.LogGroup(stack, 'PredictApiAccessLogs', { retention: logs.RetentionDays.THREE_MONTHS, encryptionKey: props.key, removalPolicy: RemovalPolicy.DESTROY });
  const api = new apigw.RestApi(stack, 'PredictApi', {
    restApiName: PREDICT_API_NAME,
    description: 'POST /predict: basket → price-sensitivity label and probabilities',
    cloudWatchRole: true,
    deployOptions: {
      stageName: PREDICT_API_STAGE,
      tracingEnabled: true,
      loggingLevel: apigw.MethodLoggingLevel.ERROR,
      accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
      accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
      throttlingRateLimit: 200,
      throttlingBurstLimit: 400,
    },
    defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },
  });
  // API Gateway validates a body only against a model: without one the validator checked nothing.
  // The model holds the envelope (a JSON object whose items are 1..MAX_BASKET_ITEMS objects), so
  // garbage and oversized baskets are refused before a Lambda runs; the field rules, with their
  // per-field messages, stay in the handler (tasks/core/predict/basket-request.ts).
  const basketModel = api.addModel('PredictBasketModel', {
    contentType: 'application/json',
    modelName: 'PredictBasket',
    description: 'One basket: the envelope of tasks/core/predict/basket-request.ts',
    schema: {
      schema: apigw.JsonSchemaVersion.DRAFT4,
      title: 'PredictBasket',
      type: apigw.JsonSchemaType.OBJECT,
      required: ['items'],
      properties: {
        items: { type: apigw.JsonSchemaType.ARRAY, minItems: 1, maxItems: MAX_BASKET_ITEMS, items: { type: apigw.JsonSchemaType.OBJECT } },
      },
    },
  });
  // No request parameters are declared, so validating them (cdk-nag APIG2 asks for both) checks nothing more.
  const validator = api.addRequestValidator('PredictBodyValidator', { validateRequestBody: true, validateRequestParameters: true });
  api.root.addResource('predict').addMethod('POST', new apigw.LambdaIntegration(props.predictFunction), { requestValidator: validator, requestModels: { 'application/json': basketModel } });
  Validations.of(api).acknowledge({
    id: 'AwsSolutions-APIG3',
    reason: 'No WAF web ACL is attached: the API takes only IAM (SigV4)-signed requests from internal callers and the stage is throttled (200 rps, burst 400). Exposing it more widely needs a web ACL, which this stack does not create.',
  });
  const apiCloudWatchRole = api.node.tryFindChild('CloudWatchRole');
  if (apiCloudWatchRole) {
    acknowledgeRule(apiCloudWatchRole, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]', 'The account-level role API Gateway uses to write execution and access logs; AWS-managed, log delivery only.');
  }
  Validations.of(api).acknowledge({ id: 'AwsSolutions-COG4', reason: 'The API uses IAM (SigV4) authorization, not Cognito.' });
  // Trace 1 % of /predict and no fixed reservoir: the default rule (1/s + 5 %) would cost more than the
  // whole training pipeline at 100 req/s (docs/COST.md).
  new xray.CfnSamplingRule(stack, 'PredictTraceSampling', {
    samplingRule: {
      ruleName: PREDICT_API_NAME,
      priority: 100,
      fixedRate: 0.01,
      reservoirSize: 0,
      serviceName: `${PREDICT_API_NAME}/${PREDICT_API_STAGE}`,
      serviceType: '*',
      host: '*',
      httpMethod: '*',
      urlPath: '*',
      resourceArn: '*',
      version: 1,
    },
  });
  return api;
}
