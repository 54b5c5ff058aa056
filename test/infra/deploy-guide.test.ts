/** Follows docs/DEPLOY.md against the synthesized template: everything it names must exist. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STACK_NAME } from '../../infra/pipeline-app.js';
import { REPO_ROOT } from '../../infra/project-paths.js';
import { normalizeExecutionInput } from '../../tasks/core/shared/execution-input.js';
import { synthForTest } from '../support/synth.js';
import { GITHUB_OIDC_STACK_NAME } from '../../infra/cicd/github-oidc-stack.js';
import { EKS_OPTIONS, PLATFORM_OPTIONS } from '../support/platform-options.js';

const guide = readFileSync(join(REPO_ROOT, 'docs', 'DEPLOY.md'), 'utf8');
const { template } = synthForTest();
// The optional sections (CI/CD, audit, network, EKS) name resources that exist only with their option on.
const templateText = JSON.stringify([template, synthForTest(PLATFORM_OPTIONS).templates, synthForTest(EKS_OPTIONS).template]);

const all = (pattern: RegExp) => [...guide.matchAll(pattern)].map((match) => match[1]!);

describe('docs/DEPLOY.md', () => {
  it('reads only stack outputs that exist', () => {
    const outputs = [...new Set(all(/OutputKey=='(\w+)'/g))];

    expect(outputs.sort()).toEqual(['NotificationsTopicArn', 'PredictApiUrl', 'RawBucketName', 'StateMachineArn']);
    for (const output of outputs) expect(Object.keys(template.Outputs)).toContain(output);
  });

  it('mentions only outputs that exist in prose', () => {
    for (const output of all(/`(\w+)` output/g)) expect(Object.keys(template.Outputs)).toContain(output);
    for (const output of all(/<(\w+) output>/g)) expect(Object.keys(template.Outputs)).toContain(output);
  });

  it('deploys, describes and destroys the stack by its real name', () => {
    const names = [...all(/--stack-name (\w+)/g), ...all(/cdk (?:deploy|destroy) (\w+)/g)];

    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(new Set(names)).toEqual(new Set([STACK_NAME, GITHUB_OIDC_STACK_NAME]));
  });

  it('names only resources, alarms and log groups that the template creates', () => {
    const names = [...new Set(all(/(pricesense-[a-z0-9][a-z0-9-]*)/g))];

    expect(names.length).toBeGreaterThan(15);
    const missing = names.filter((name) => !templateText.includes(name));
    expect(missing).toEqual([]);
  });

  it('gives a console input that the pipeline accepts', () => {
    const [block] = all(/```json\n([\s\S]*?)\n```/g);
    const input = JSON.parse(block!);

    expect(normalizeExecutionInput(input)).toMatchObject({ key: 'raw/2024-w01.csv', source: 'console' });
  });

  it('runs only CLI commands that exist', () => {
    const commands = [...new Set(all(/local\/cli\/main\.ts (\w+)/g))];

    expect(commands.sort()).toEqual(['generate', 'inspect', 'record', 'replay']);
    for (const command of commands) expect(existsSync(join(REPO_ROOT, 'local', 'cli', 'commands', `${command}.ts`))).toBe(true);
  });

  it('uploads under the raw/ prefix the trigger listens to', () => {
    const [rule] = Object.values(template.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::Events::Rule' && r.Properties.EventPattern);

    expect(guide).toContain('s3://$RAW_BUCKET/raw/');
    expect(rule.Properties.EventPattern.detail.object.key).toEqual([{ prefix: 'raw/' }]);
  });
});
