import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../../local/cli/commands/exec.js';
import { UsageError } from '../../../../local/cli/usage-error.js';

const dir = mkdtempSync(join(tmpdir(), 'pricesense-exec-'));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const definition = file('machine.json', {
  StartAt: 'Train',
  States: {
    Train: { Type: 'Task', Resource: 'arn:aws:states:::sagemaker:createTrainingJob.sync', Parameters: { 'TrainingJobName.$': '$.name' }, Next: 'Gate' },
    Gate: {
      Type: 'Choice',
      Choices: [{ Variable: '$.accuracy', NumericGreaterThanEquals: 0.75, Next: 'Done' }],
      Default: 'ModelBelowThreshold',
    },
    Done: { Type: 'Succeed' },
    ModelBelowThreshold: { Type: 'Fail', Error: 'ModelBelowThreshold', Cause: 'accuracy too low' },
  },
});
const mockConfig = file('mocks.json', {
  StateMachines: {
    Pipeline: { TestCases: { Good: { Train: 'GoodModel' }, Bad: { Train: 'BadModel' } } },
  },
  MockedResponses: {
    GoodModel: { '0': { Return: { accuracy: 0.9 } } },
    BadModel: { '0': { Return: { accuracy: 0.5 } } },
  },
});

function capture(): { lines: string[] } {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  return { lines };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('pricesense exec', () => {
  it('exits 0 and prints {status, output, path, history} as the last JSON line', async () => {
    const { lines } = capture();
    const code = await run(['--definition', definition, '--input', '{"name":"job-1"}', '--mock-config', mockConfig, '--test-case', 'Good', '--json']);
    const last = JSON.parse(lines.at(-1) ?? '{}') as { status: string; output: unknown; path: string[]; history: unknown[] };
    expect([code, last.status, last.output, last.path, last.history.length > 0]).toEqual([0, 'SUCCEEDED', { accuracy: 0.9 }, ['Train', 'Gate', 'Done'], true]);
  });

  it('exits 1 with the failed state error when the execution fails', async () => {
    const { lines } = capture();
    const code = await run(['--definition', definition, '--input', '{"name":"job-1"}', '--mock-config', mockConfig, '--test-case', 'Bad', '--json']);
    const last = JSON.parse(lines.at(-1) ?? '{}') as { status: string; error: string; cause: string };
    expect([code, last.status, last.error, last.cause]).toEqual([1, 'FAILED', 'ModelBelowThreshold', 'accuracy too low']);
  });

  it('prints a readable per-state trace without --json', async () => {
    const { lines } = capture();
    await run(['--definition', definition, '--input', '{"name":"j"}', '--mock-config', mockConfig, '--test-case', 'Good']);
    expect(lines.slice(0, 3)).toEqual(['→ Train (Task)', '✓ Train', '→ Gate (Choice)']);
  });

  it('exits 2 on an invalid definition', async () => {
    capture();
    const broken = file('broken.json', { StartAt: 'Missing', States: { A: { Type: 'Pass', End: true } } });
    expect(await run(['--definition', broken])).toBe(2);
  });

  it('rejects --input that is not JSON with a usage error naming the flag', async () => {
    await expect(run(['--definition', definition, '--input', '{oops'])).rejects.toThrow(UsageError);
  });

  it('reads --input @FILE', async () => {
    const { lines } = capture();
    const inputFile = file('input.json', { name: 'from-file' });
    await run(['--definition', definition, '--input', `@${inputFile}`, '--mock-config', mockConfig, '--test-case', 'Good', '--json']);
    const last = JSON.parse(lines.at(-1) ?? '{}') as { history: Array<{ type: string; executionStartedEventDetails?: { input: string } }> };
    expect(last.history[0]?.executionStartedEventDetails?.input).toBe('{"name":"from-file"}');
  });
});
