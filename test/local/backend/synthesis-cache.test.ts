import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GLUE_SCRIPTS_DIR, DEFAULT_TASKS_DIR } from '../../../infra/project-paths.js';
import { synthesisFingerprint } from '../../../local/backend/synthesis-cache.js';

function copyOfGlueScripts(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'glue-copy-')), 'glue-scripts');
  cpSync(DEFAULT_GLUE_SCRIPTS_DIR, dir, { recursive: true });
  return dir;
}

describe('synthesisFingerprint', () => {
  it('is stable while nothing synthesis reads changes', () => {
    const glueScriptsDir = copyOfGlueScripts();
    expect(synthesisFingerprint({ tasksDir: DEFAULT_TASKS_DIR, glueScriptsDir })).toBe(synthesisFingerprint({ tasksDir: DEFAULT_TASKS_DIR, glueScriptsDir }));
  });

  it('changes when an embedded SQL file changes (a stale template is never served)', () => {
    const glueScriptsDir = copyOfGlueScripts();
    const before = synthesisFingerprint({ tasksDir: DEFAULT_TASKS_DIR, glueScriptsDir });
    writeFileSync(join(glueScriptsDir, 'sql', 'data_quality.sql'), '-- edited\nSELECT 1');
    expect(synthesisFingerprint({ tasksDir: DEFAULT_TASKS_DIR, glueScriptsDir })).not.toBe(before);
  });

  it('changes when the environment the CDK app reads changes', () => {
    const before = synthesisFingerprint();
    process.env.CDK_DEFAULT_REGION = 'eu-west-1';
    try {
      expect(synthesisFingerprint()).not.toBe(before);
    } finally {
      delete process.env.CDK_DEFAULT_REGION;
    }
  });
});
