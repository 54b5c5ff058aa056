/**
 * Cost of validateDefinition: the first call (compiles asl-validator's schemas) and then per call
 * on a pipeline-sized definition. Run: npx tsx test/bench/asl-validate.ts
 */
import { validateDefinition } from '../../local/asl/validate/index.js';

function pipelineLike(size: number): Record<string, unknown> {
  const states: Record<string, unknown> = {};
  for (let index = 0; index < size; index += 1) {
    states[`Step${index}`] = {
      Type: 'Task',
      Resource: 'arn:aws:states:::glue:startJobRun.sync',
      Parameters: { JobName: `job-${index}`, 'Arguments.$': "States.JsonMerge($.args, States.StringToJson('{\"a\":1}'), false)" },
      ResultPath: `$.step${index}`,
      Retry: [{ ErrorEquals: ['Glue.ThrottlingException'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: 'FULL' }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }],
      ...(index + 1 < size ? { Next: `Step${index + 1}` } : { End: true }),
    };
  }
  states.Failed = { Type: 'Fail', Error: 'PipelineFailed' };
  return { StartAt: 'Step0', States: states };
}

const definition = pipelineLike(30);
let started = performance.now();
validateDefinition(definition);
const first = performance.now() - started;
const runs = 200;
started = performance.now();
for (let run = 0; run < runs; run += 1) validateDefinition(definition);
const each = (performance.now() - started) / runs;
console.log(`validateDefinition, 31-state definition: first call ${first.toFixed(0)} ms (schema compile), then ${each.toFixed(2)} ms per call`);
