/**
 * Independent validators over the synthesized state machine of every config variant: AWS's own
 * ASL language service (the one the Step Functions console and the VS Code toolkit use), and
 * every Task's Arguments and `$states.result` reads against the AWS API models.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIANTS, variantAsl } from './config-variants.js';
import { checkArguments, checkResultReads, taskApi } from './api-model.js';

const require = createRequire(import.meta.url);
const { getLanguageService, TextDocument } = require('amazon-states-language-service') as typeof import('amazon-states-language-service');

type State = Record<string, any>;

function allStates(states: Record<string, State>): Array<[string, State]> {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, State],
    ...(state.ItemProcessor ? allStates(state.ItemProcessor.States) : []),
    ...(state.Iterator ? allStates(state.Iterator.States) : []),
    ...((state.Branches ?? []) as Array<{ States: Record<string, State> }>).flatMap((branch) => allStates(branch.States)),
  ]);
}

/** Every string inside a value (JSONata expressions live in strings). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe.each(CONFIG_VARIANTS)('synthesized state machine: $name', (variant) => {
  it('has no errors in the AWS ASL language service', async () => {
    const text = JSON.stringify(variantAsl(variant), null, 2);
    const service = getLanguageService({});
    const document = TextDocument.create('file:///pipeline.asl.json', 'json', 0, text);
    const diagnostics = await service.doValidation(document, service.parseJSONDocument(document));

    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 1).map((diagnostic) => `${diagnostic.range.start.line + 1}: ${diagnostic.message}`)).toEqual([]);
  });

  it("checks every Task's Arguments against the AWS API model (members, nesting, required, types)", () => {
    const tasks = allStates(variantAsl(variant).States).filter(([, state]) => state.Type === 'Task');
    const checked = tasks.filter(([, state]) => taskApi(state.Resource) !== undefined);
    expect(checked.length).toBeGreaterThan(10);

    const problems = checked.flatMap(([name, state]) => checkArguments(taskApi(state.Resource)!, state.Arguments ?? {}).map((problem) => `${name} (${state.Resource}): ${problem}`));

    expect(problems).toEqual([]);
  });

  it('reads only $states.result fields the API output (Describe*/Get* for .sync) has', () => {
    const tasks = allStates(variantAsl(variant).States).filter(([, state]) => state.Type === 'Task' && taskApi(state.Resource) !== undefined);

    const problems = tasks.flatMap(([name, state]) =>
      checkResultReads(taskApi(state.Resource)!, strings([state.Output, state.Assign, state.Catch])).map((problem) => `${name}: ${problem}`),
    );

    expect(problems).toEqual([]);
  });
});

describe('API model validator', () => {
  it('catches a misspelt member, a missing required member and a result field the output lacks', () => {
    const api = taskApi('arn:aws:states:::aws-sdk:sagemaker:createEndpoint')!;
    expect(checkArguments(api, { EndpointName: 'e', EndpointConfig: 'c' })).toEqual([
      'Arguments.EndpointConfig: not a member of sagemaker:CreateEndpoint here (members: EndpointName, EndpointConfigName, DeploymentConfig, Tags)',
      'Arguments.EndpointConfigName: required member missing',
    ]);
    expect(checkResultReads(taskApi('arn:aws:states:::sagemaker:createTrainingJob.sync')!, ['{% $states.result.ModelArtifacts.S3ModelArtifacts %}', '{% $states.result.ModelArtifact %}'])).toEqual([
      '$states.result.ModelArtifact: sagemaker:DescribeTrainingJob output has no ModelArtifact',
    ]);
  });
});
