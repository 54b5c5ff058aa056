/**
 * The interpreter's TaskRegistry over the local emulators: maps each Task `Resource` to a
 * handler that speaks the integration's result and error shapes. Unknown resources get no
 * handler, and the engine fails the state naming it.
 */
import { systemClock, type Clock } from '../asl/clock.js';
import type { TaskHandler, TaskRegistry } from '../asl/task-dispatch.js';
import type { LocalAws } from '../aws/registry.js';
import { awsSdkHandler } from './integrations/aws-sdk.js';
import { athenaGetQueryResultsHandler, athenaStartQueryHandler } from './integrations/athena.js';
import type { IntegrationContext } from './integrations/context.js';
import { glueStartJobRunHandler } from './integrations/glue.js';
import { bareLambdaHandler, lambdaInvokeHandler } from './integrations/lambda.js';
import { sageMakerJobHandler, sageMakerRequestHandler, TRAINING_JOB, TRANSFORM_JOB, TUNING_JOB } from './integrations/sagemaker.js';
import { eksCallHandler, s3ListObjectsHandler, snsPublishHandler } from './integrations/simple.js';

export interface LocalTaskRegistryOptions {
  /** Wait between `.sync` status polls. @default 200 */
  pollIntervalMs?: number;
  /** @default the system clock */
  clock?: Pick<Clock, 'sleep'>;
}

const SERVICE_RESOURCE = /^arn:aws[a-z-]*:states:::(aws-sdk:)?([a-z0-9-]+):([a-zA-Z0-9]+)(?:\.(sync(?::2)?|waitForTaskToken))?$/;
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9_-]+(?::[a-zA-Z0-9$_-]+)?$/;

/** Request/response SageMaker actions the workflow uses through the optimized integration. */
const SAGEMAKER_REQUEST_ACTIONS = new Set(['createModel', 'createEndpointConfig', 'createEndpoint', 'updateEndpoint']);

export function createLocalTaskRegistry(localAws: LocalAws, options: LocalTaskRegistryOptions = {}): TaskRegistry {
  const context: IntegrationContext = { localAws, pollIntervalMs: options.pollIntervalMs ?? 200, clock: options.clock ?? systemClock };
  const cache = new Map<string, TaskHandler | undefined>();
  return {
    handlerFor: ({ resource }) => {
      if (!cache.has(resource)) cache.set(resource, resolveHandler(context, resource));
      return cache.get(resource);
    },
  };
}

function resolveHandler(context: IntegrationContext, resource: string): TaskHandler | undefined {
  if (FUNCTION_ARN.test(resource)) return bareLambdaHandler(context, resource);
  const match = SERVICE_RESOURCE.exec(resource);
  if (!match) return undefined;
  const [, sdk, service, action, pattern] = match as unknown as [string, string | undefined, string, string, string | undefined];
  if (sdk) return pattern === undefined ? awsSdkHandler(context, service, action) : undefined;
  const sync = pattern === 'sync' || pattern === 'sync:2';
  if (pattern === 'waitForTaskToken') return undefined;
  switch (`${service}:${action}`) {
    case 'glue:startJobRun':
      return glueStartJobRunHandler(context, sync);
    case 'athena:startQueryExecution':
      return athenaStartQueryHandler(context, sync);
    case 'athena:getQueryResults':
      return sync ? undefined : athenaGetQueryResultsHandler(context);
    case 'sagemaker:createTrainingJob':
      return sageMakerJobHandler(context, TRAINING_JOB, sync);
    case 'sagemaker:createTransformJob':
      return sageMakerJobHandler(context, TRANSFORM_JOB, sync);
    case 'sagemaker:createHyperParameterTuningJob':
      return sageMakerJobHandler(context, TUNING_JOB, sync);
    case 'sns:publish':
      return sync ? undefined : snsPublishHandler(context);
    case 'lambda:invoke':
      return sync ? undefined : lambdaInvokeHandler(context);
    case 'eks:call':
      return sync ? undefined : eksCallHandler(context);
    case 's3:listObjectsV2':
      return sync ? undefined : s3ListObjectsHandler(context);
    default:
      if (service === 'sagemaker' && !sync && SAGEMAKER_REQUEST_ACTIONS.has(action)) {
        return sageMakerRequestHandler(context, action.charAt(0).toUpperCase() + action.slice(1));
      }
      return undefined;
  }
}
