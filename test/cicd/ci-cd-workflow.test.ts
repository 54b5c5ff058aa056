/**
 * .github/workflows/ci-cd.yml checked with GitHub's own workflow parser (the schema GitHub
 * validates workflows with) and with assertions on what the jobs may do: the workflow cannot run
 * here, so its shape is the contract.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/project-paths.js';
import { DEPLOY_ROLE_NAME, SMOKE_ROLE_NAME } from '../../infra/cicd/github-oidc-stack.js';
import { DEFAULT_CONFIG } from '../../workflow/config.js';

const FILE = join(REPO_ROOT, '.github', 'workflows', 'ci-cd.yml');
const text = readFileSync(FILE, 'utf8');
const workflow = parse(text) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { if?: string; needs?: string; environment?: string; container?: string; permissions: Record<string, string>; steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown>; name?: string }> }>;
};
const steps = (job: string) => workflow.jobs[job]!.steps;
const runs = (job: string) => steps(job).map((step) => step.run ?? '').join('\n');

describe('ci-cd workflow', () => {
  it('parses against GitHub\'s workflow schema without errors', async () => {
    const result = parseWorkflow({ name: 'ci-cd.yml', content: text }, new NoOperationTraceWriter());
    const template = await convertWorkflowTemplate(result.context, result.value!);

    expect(result.context.errors.getErrors().map((error) => error.message)).toEqual([]);
    expect(template.errors ?? []).toEqual([]);
    expect(template.jobs.map((job) => job.id.value)).toEqual(['verify', 'deploy']);
  });

  it('the parser reports a schema error (the check above is live)', () => {
    const broken = text.replace('id-token: write', 'id-token: writ');
    const result = parseWorkflow({ name: 'broken.yml', content: broken }, new NoOperationTraceWriter());

    expect(result.context.errors.getErrors().length).toBeGreaterThan(0);
  });

  it('runs on pull requests and on pushes to main only', () => {
    expect(workflow.on).toMatchObject({ pull_request: { branches: ['main'] }, push: { branches: ['main'] } });
  });

  it('grants read-only repository access at the top and requests an OIDC token only in the deploy job', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.verify!.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.deploy!.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(text.match(/id-token:\s*write/g)).toHaveLength(1);
  });

  it('pins every action to a full commit SHA', () => {
    const uses = Object.keys(workflow.jobs).flatMap((job) => steps(job).flatMap((step) => (step.uses ? [step.uses] : [])));

    expect(uses.length).toBeGreaterThanOrEqual(6);
    for (const ref of uses) expect(ref).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+@[0-9a-f]{40}$/);
  });

  it('does not leave the checkout token in the workspace', () => {
    for (const job of Object.keys(workflow.jobs)) {
      const checkout = steps(job).find((step) => step.uses?.startsWith('actions/checkout@'));
      expect(checkout?.with).toMatchObject({ 'persist-credentials': false });
    }
  });

  it('verifies with npm ci, the type check, the test suite and a cdk-nag synth, and uploads the ASL', () => {
    const commands = runs('verify');

    expect(commands).toContain('npm ci');
    expect(commands).toContain('npm run typecheck');
    expect(commands).toContain('npx vitest run');
    expect(commands).toContain('npx cdk synth --quiet');
    expect(commands).toMatch(/local\/cli\/main\.ts asl --out cdk\.out\/pricesense-pipeline\.asl\.json/);
    const upload = steps('verify').find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(String(upload?.with?.path)).toContain('cdk.out/pricesense-pipeline.asl.json');
    expect(upload?.with?.['if-no-files-found']).toBe('error');
  });

  it('deploys only from main after verify, in the environment the roles trust', () => {
    const deploy = workflow.jobs.deploy!;

    expect(deploy.needs).toBe('verify');
    expect(deploy.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(deploy.environment).toBe(DEFAULT_CONFIG.cicd.environment);
  });

  it('assumes the deploy role for cdk diff/deploy and the smoke role afterwards, both through OIDC', () => {
    const assumed = steps('deploy').filter((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));

    expect(assumed.map((step) => String(step.with?.['role-to-assume']).split('/').pop())).toEqual([DEPLOY_ROLE_NAME, SMOKE_ROLE_NAME]);
    for (const step of assumed) expect(Object.keys(step.with ?? {})).not.toContain('aws-access-key-id');
    const names = steps('deploy').map((step) => step.name ?? step.run ?? step.uses);
    const at = (needle: string) => names.findIndex((name) => String(name).includes(needle));
    expect(at('cdk diff')).toBeLessThan(at('cdk deploy'));
    expect(at('cdk deploy')).toBeLessThan(at('smoke-test role'));
    expect(at('smoke-test role')).toBeLessThan(at('Smoke execution'));
  });

  it('writes the cdk diff into the job summary and runs the smoke execution on a generated sample', () => {
    const commands = runs('deploy');

    expect(commands).toMatch(/npx cdk diff Pricesense[^\n]*\| tee cdk-diff\.txt/);
    expect(commands).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(commands).toContain('npx cdk deploy Pricesense --require-approval never');
    expect(commands).toMatch(/generate --rows 3000 --seed 7 --out smoke-sample\.csv/);
    expect(commands).toMatch(/infra\/cicd\/smoke-execution\.ts[\s\S]*--file smoke-sample\.csv/);
  });

  it('never stores AWS keys as secrets', () => {
    expect(text).not.toMatch(/secrets\.AWS_(ACCESS|SECRET)/);
  });
});
