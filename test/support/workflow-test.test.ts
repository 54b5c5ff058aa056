import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { synthesisFingerprint } from './workflow-test.js';

const GLUE_FIXTURES = join(import.meta.dirname, '..', 'infra', 'fixtures', 'glue-scripts');

describe('pipelineDefinition cache key (synthesisFingerprint)', () => {
  let dir: string;
  let inputs: { tasksDir: string; glueScriptsDir: string };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'workflow-test-key-'));
    inputs = { tasksDir: join(dir, 'tasks'), glueScriptsDir: join(dir, 'glue-scripts') };
    cpSync(GLUE_FIXTURES, inputs.glueScriptsDir, { recursive: true });
    mkdirSync(inputs.tasksDir);
    writeFileSync(join(inputs.tasksDir, 'validate-input.ts'), 'export const handler = async () => ({});\n');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is the same for unchanged inputs', () => {
    expect(synthesisFingerprint(inputs)).toBe(synthesisFingerprint(inputs));
  });

  it('changes when the data-quality SQL the definition embeds changes', () => {
    const before = synthesisFingerprint(inputs);

    writeFileSync(join(inputs.glueScriptsDir, 'sql', 'data_quality.sql'), 'SELECT 1 AS rule\n');

    expect(synthesisFingerprint(inputs)).not.toBe(before);
  });

  it('changes when a task entry appears (it decides which resources exist)', () => {
    const before = synthesisFingerprint(inputs);

    writeFileSync(join(inputs.tasksDir, 'predict.ts'), 'export const handler = async () => ({});\n');

    expect(synthesisFingerprint(inputs)).not.toBe(before);
  });

  it('changes with the Region the App reads from the environment', () => {
    const saved = process.env.CDK_DEFAULT_REGION;
    try {
      process.env.CDK_DEFAULT_REGION = 'us-east-1';
      const east = synthesisFingerprint(inputs);
      process.env.CDK_DEFAULT_REGION = 'eu-west-1';

      expect(synthesisFingerprint(inputs)).not.toBe(east);
    } finally {
      if (saved === undefined) delete process.env.CDK_DEFAULT_REGION;
      else process.env.CDK_DEFAULT_REGION = saved;
    }
  });
});
