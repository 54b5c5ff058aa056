import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExecution, TaskFailedError, taskRegistryFrom, VirtualClock } from '../../../local/asl/index.js';
import { inspectorHtml } from '../../../local/inspector/index.js';

const artifacts = join(import.meta.dirname, '..', '..', '..', 'test-artifacts');
const definition = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Result: { files: ['a.csv', 'b.csv'] }, Next: 'Ingest' },
    Ingest: {
      Type: 'Map', ItemsPath: '$.files', Next: 'Train',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'IngestFile', States: { IngestFile: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
    },
    Train: { Type: 'Task', Resource: 'arn:aws:states:::sagemaker:createTrainingJob.sync', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Notify' }], Next: 'Done' },
    Notify: { Type: 'Pass', Next: 'Failed' },
    Failed: { Type: 'Fail', Error: 'PipelineFailed' },
    Done: { Type: 'Succeed' },
  },
};
const hostileCause = '<img src=x onerror="window.__pwned=1"> row 17 has 41 columns';

let browser: Awaited<ReturnType<typeof chromium.launch>>;
let file: string;
let fileWithoutMapRuns: string;

beforeAll(async () => {
  const result = await runExecution({
    definition, executionName: 'inspect-me', clock: new VirtualClock(),
    tasks: taskRegistryFrom({
      'arn:aws:states:::lambda:invoke': async (invocation) => ({ Payload: invocation.parameters }),
      'arn:aws:states:::sagemaker:createTrainingJob.sync': async () => { throw new TaskFailedError('SageMaker.TrainingJobFailed', hostileCause); },
    }),
  });
  mkdirSync(artifacts, { recursive: true });
  file = join(artifacts, 'inspector.html');
  writeFileSync(file, inspectorHtml({ definition, events: result.history as never, executionName: 'inspect-me', mapRuns: result.mapRuns }));
  fileWithoutMapRuns = join(artifacts, 'inspector-without-map-runs.html');
  writeFileSync(fileWithoutMapRuns, inspectorHtml({ definition, events: result.history as never, executionName: 'inspect-me' }));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 30_000);

afterAll(async () => {
  await browser?.close();
});

describe('inspector page in Chromium', () => {
  it('marks the failed state, shows its error on click, and never runs data as markup', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => { if (!request.url().startsWith('file:')) requests.push(request.url()); });
    await page.goto(`file://${file}`);

    await expect.poll(() => page.getAttribute('[data-state="Train"]', 'data-outcome')).toBe('caught');
    expect(await page.getAttribute('[data-state="Failed"]', 'data-outcome')).toBe('failed');
    expect(await page.getAttribute('[data-state="Done"]', 'data-outcome')).toBe('not-reached');
    await page.click('[data-state="Train"] rect');
    expect(await page.textContent('#panel-title')).toBe('Train');
    expect(await page.textContent('#panel .field-error')).toBe('SageMaker.TrainingJobFailed');
    expect(await page.textContent('#panel .field-cause')).toBe(hostileCause);
    expect(await page.evaluate('typeof globalThis.__pwned')).toBe('undefined');
    expect(requests).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'inspector.png'), fullPage: true });
  }, 30_000);

  it('colours the states inside a Distributed Map from its Map Run records and shows each child execution on click', async () => {
    const page = await browser.newPage();
    await page.goto(`file://${file}`);

    await page.click('[data-state="IngestFile"] rect');

    expect(await page.getAttribute('[data-state="IngestFile"]', 'data-outcome')).toBe('succeeded');
    expect(await page.$$eval('#panel .field-child-execution', (fields) => fields.map((field) => field.textContent?.slice(0, 3)))).toEqual(['#0 ', '#1 ']);
  }, 30_000);

  it('marks the states inside a Distributed Map as not recorded when the recording has no Map Runs', async () => {
    const page = await browser.newPage();
    await page.goto(`file://${fileWithoutMapRuns}`);

    expect(await page.getAttribute('[data-state="IngestFile"]', 'data-outcome')).toBe('not-recorded');
    expect(await page.getAttribute('[data-state="Ingest"]', 'data-outcome')).toBe('succeeded');
  }, 30_000);
});
