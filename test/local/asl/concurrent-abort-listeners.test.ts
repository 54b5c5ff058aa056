/**
 * Every running task listens for its thread's abort. Twelve tasks at once under one Map or
 * Parallel state must not pile their listeners on one signal: Node then warns of a leak
 * (MaxListenersExceededWarning), which a 26.7M-row run printed in the middle of its progress lines.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskInvocation } from '../../../local/asl/index.js';
import { run, single } from './run-helper.js';

const WORK = 'arn:aws:states:::lambda:invoke';
const WIDTH = 12;
const work = { Type: 'Task', Resource: WORK, End: true };

let warnings: string[];
const onWarning = (warning: Error): void => void warnings.push(warning.name);
beforeEach(() => {
  warnings = [];
  process.on('warning', onWarning);
});
afterEach(() => {
  process.off('warning', onWarning);
});

/** A task handler that returns only once all WIDTH calls are in flight together. */
function barrier(): (invocation: TaskInvocation) => Promise<unknown> {
  let release = (): void => {};
  const allStarted = new Promise<void>((resolve) => (release = resolve));
  let started = 0;
  return async ({ parameters }) => {
    started += 1;
    if (started === WIDTH) release();
    await allStarted;
    return parameters;
  };
}

const items = Array.from({ length: WIDTH }, (_, i) => i);
const afterWarnings = () => new Promise((resolve) => setImmediate(resolve)); // emitted on a later tick

describe('twelve tasks in flight under one state', () => {
  it('a distributed Map with MaxConcurrency 12 gives each child execution its own signal', async () => {
    const processor = { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Work', States: { Work: work } };
    const result = await run(single({ Type: 'Map', ItemsPath: '$', MaxConcurrency: WIDTH, ItemProcessor: processor }), items, { [WORK]: barrier() });
    await afterWarnings();
    expect([result.output, warnings]).toEqual([items, []]);
  });

  it('an inline Map gives each iteration its own signal', async () => {
    const processor = { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Work', States: { Work: work } };
    const result = await run(single({ Type: 'Map', ItemsPath: '$', ItemProcessor: processor }), items, { [WORK]: barrier() });
    await afterWarnings();
    expect([result.output, warnings]).toEqual([items, []]);
  });

  it('a Parallel state gives each branch its own signal', async () => {
    const branches = items.map((i) => ({ StartAt: `Work${i}`, States: { [`Work${i}`]: work } }));
    const result = await run(single({ Type: 'Parallel', Branches: branches }), 7, { [WORK]: barrier() });
    await afterWarnings();
    expect([result.output, warnings]).toEqual([items.map(() => 7), []]);
  });
});
