import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExecutionAlreadyExistsError, ExecutionStore, executionNameProblem, type StoredExecution } from '../../../local/execution-history/execution-store.js';

const execution = (name: string): StoredExecution => ({
  executionArn: `arn:aws:states:us-east-1:000000000000:execution:pricesense-pipeline:${name}`,
  stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:pricesense-pipeline',
  name,
  status: 'RUNNING',
  startDate: '2026-11-21T12:00:00.000Z',
  input: '{}',
  redriveCount: 0,
});

describe('ExecutionStore', () => {
  it('gives a name to exactly one of two commands that claim it at once', async () => {
    const store = new ExecutionStore(mkdtempSync(join(tmpdir(), 'store-')));
    const claims = await Promise.allSettled([store.begin(execution('run-1'), {}), store.begin(execution('run-1'), {})]);
    expect(claims.map((claim) => claim.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((claims.find((claim) => claim.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(ExecutionAlreadyExistsError);
  });

  it.each(['..', '.', 'a/b', 'run:1', 'x'.repeat(81), ''])('rejects %j as an execution name before touching the disk', (name) => {
    const stateDir = mkdtempSync(join(tmpdir(), 'store-'));
    expect(executionNameProblem(name)).toContain('expected 1-80 characters of A-Z a-z 0-9 - _');
    expect(() => new ExecutionStore(stateDir).dirOf(name)).toThrow('is not valid');
    expect(existsSync(join(stateDir, 'executions'))).toBe(false);
  });

  it('reads a history cut mid-line by a killed process up to its last whole event', async () => {
    const store = new ExecutionStore(mkdtempSync(join(tmpdir(), 'store-')));
    await store.begin(execution('run-2'), {});
    store.appendEvent('run-2', { id: 1, type: 'ExecutionStarted', timestamp: new Date(0) });
    const { appendFileSync } = await import('node:fs');
    appendFileSync(join(store.dirOf('run-2'), 'events.jsonl'), '{"id":2,"type":"TaskSta');
    expect(store.events('run-2').map((event) => event.id)).toEqual([1]);
  });
});
