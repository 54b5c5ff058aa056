/**
 * One configuration for both backends: the local commands read `pricesense:config` from cdk.json
 * as `cdk synth` does. The end-to-end case runs the real CDK CLI in a folder with its own
 * cdk.json and compares the state machine in its template with what `pricesense asl` prints there.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../infra/project-paths.js';
import { localResourceNames, projectConfig, resolveDefinition } from '../../../local/template/index.js';

const roots: string[] = [];
function folder(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pricesense-config-'));
  roots.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}
const noUserSettings = join(tmpdir(), 'no-such-cdk-user-settings.json');

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('projectConfig', () => {
  it('reads pricesense:config from the context of the cdk.json in the working directory', () => {
    const cwd = folder({ 'cdk.json': { app: 'x', context: { 'pricesense:config': { deployTarget: 'none', thresholds: { accuracy: 0.8 } } } } });

    expect(projectConfig({ cwd, userSettingsFile: noUserSettings }).config).toEqual({ deployTarget: 'none', thresholds: { accuracy: 0.8 } });
  });

  it('takes cdk.json over cdk.context.json, as the CDK CLI does', () => {
    const cwd = folder({
      'cdk.json': { app: 'x', context: { 'pricesense:config': { deployTarget: 'eks' } } },
      'cdk.context.json': { 'pricesense:config': { deployTarget: 'none' } },
    });

    expect(projectConfig({ cwd, userSettingsFile: noUserSettings }).config).toEqual({ deployTarget: 'eks' });
  });

  it('merges --config FILE over cdk.json, and command-line flags over both', () => {
    const cwd = folder({
      'cdk.json': { app: 'x', context: { 'pricesense:config': { deployTarget: 'eks', thresholds: { accuracy: 0.8, macroF1: 0.7 } } } },
      'override.json': { thresholds: { macroF1: 0.6 } },
    });

    const { config } = projectConfig({ cwd, configFile: join(cwd, 'override.json'), overrides: { deployTarget: 'none' }, userSettingsFile: noUserSettings });

    expect(config).toEqual({ deployTarget: 'none', thresholds: { accuracy: 0.8, macroF1: 0.6 } });
  });

  it('names the file when the context value is not a JSON object', () => {
    const cwd = folder({ 'cdk.json': { app: 'x', context: { 'pricesense:config': '{not json' } } });

    expect(() => projectConfig({ cwd, userSettingsFile: noUserSettings })).toThrow(/cdk\.json context pricesense:config must be a JSON object/);
  });
});

describe('pricesense asl and cdk synth, same cdk.json', () => {
  it('print the same state machine definition', () => {
    const config = { deployTarget: 'none', thresholds: { accuracy: 0.81, macroF1: 0.66 }, dataQuality: { minBaskets: 1234 } };
    const cwd = folder({
      'cdk.json': { app: `${join(REPO_ROOT, 'node_modules', '.bin', 'tsx')} ${join(REPO_ROOT, 'infra', 'app.ts')}`, output: 'cdk.out', context: { 'pricesense:config': config } },
    });

    execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet'], { cwd, stdio: 'pipe', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' } });
    const template = JSON.parse(readFileSync(join(cwd, 'cdk.out', 'Pricesense.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    const logicalId = Object.entries(template.Resources).find(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine')![0];
    const synthesized = resolveDefinition(template, logicalId, localResourceNames(template));
    const printed = execFileSync(process.execPath, [join(REPO_ROOT, 'bin', 'pricesense.mjs'), 'asl', '--json'], { cwd, encoding: 'utf8' });

    expect(JSON.parse(printed)).toEqual(synthesized);
    expect(JSON.stringify(synthesized)).toContain('0.81');
  }, 300_000);
});
