/**
 * Run as bin/pricesense.mjs runs the CLI (tsx registered, PRICESENSE_TASK_BUNDLE=1): loads the
 * evaluate-model handler through the Lambda emulator with the repository's tasks and prints one
 * JSON line: where the handler module came from and the SDK clients the source module of
 * tasks/core/shared/aws-clients.ts saw created (the hook local/ routes calls with).
 */
import { registerClientHook } from '../../../../tasks/core/shared/aws-clients.js';
import { LambdaEmulator } from '../../../../local/aws/lambda.js';
import { tasksLoadedFromBundle } from '../../../../local/aws/task-bundle.js';

const seen: string[] = [];
registerClientHook((_client, serviceId) => seen.push(serviceId));
const lambda = new LambdaEmulator();
lambda.registerFunction({ name: 'fn-evaluate', arn: 'arn:aws:lambda:us-east-1:000000000000:function:fn-evaluate', serviceName: 'evaluate-model', environment: {} });
// An event the handler rejects: only loading it matters here.
const outcome = await lambda.invoke(lambda.resolveFunction('fn-evaluate'), {});
const { errorType } = JSON.parse(outcome.payload) as { errorType?: string };
process.stdout.write(`${JSON.stringify({ seen: [...new Set(seen)].sort(), errorType, fromBundle: tasksLoadedFromBundle() })}\n`);
