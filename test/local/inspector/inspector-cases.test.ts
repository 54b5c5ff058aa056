/**
 * The inspector in headless Chromium on four executions of the pipeline definition: succeeded, a
 * gate failure, a caught Lambda error and a redriven execution. It asserts what a user sees (the
 * failed state selected and in view, error and cause in the header and the panel, a Lambda cause
 * message-first with its trace folded and no local paths, the Events table and its filter,
 * redrives and Map Runs) and saves a screenshot of each to /tmp/inspector-shots/elk-<case>.png (the elkjs layout).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redriveExecution, runExecution, VirtualClock, type ExecutionResult, type TaskRegistry } from '../../../local/asl/index.js';
import { loadMockConfig, mockTaskRegistry } from '../../../local/asl/mock-config/index.js';
import { inspectorHtml } from '../../../local/inspector/index.js';
import { loadRecording, mockConfigFor, type RecordedExecution } from '../../../local/testing/index.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures');
const shots = '/tmp/inspector-shots';
const pages = mkdtempSync(join(tmpdir(), 'pricesense-inspector-'));
const LAMBDA_CAUSE = JSON.stringify({
  errorType: 'InvalidMetricsError',
  errorMessage: 'The test split s3://goldbucket/gold/run_id=caught/test.csv has no rows',
  trace: ['InvalidMetricsError: The test split has no rows', '    at evaluate (/home/dev/pricesense/tasks/evaluate-model.ts:42:11)', '    at file:///work/wt/replay/node_modules/tsx/dist/loader.mjs:3:1'],
});

let browser: Browser;
const files: Record<string, string> = {};

function write(name: string, recording: RecordedExecution, result?: ExecutionResult): void {
  const events = result?.history ?? recording.events;
  const file = join(pages, `${name}.html`);
  writeFileSync(file, inspectorHtml({ definition: recording.definition, events: events as never, executionName: name, mapRuns: result?.mapRuns ?? recording.mapRuns ?? [], ...(recording.execution ? { execution: recording.execution } : {}) }));
  files[name] = file;
}

async function open(name: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`file://${files[name]}`);
  return page;
}

/** The state is what a user sees at its centre: in the window and not clipped by the graph frame. */
async function inViewport(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  if (!box || box.y < 0 || box.y + box.height > 900 || box.x < 0 || box.x + box.width > 1400) return false;
  // Runs in the page (no DOM types here): the state under the point, if any.
  const state = await page.evaluate(`document.elementFromPoint(${box.x + box.width / 2}, ${box.y + box.height / 2})?.closest('[data-state]')?.getAttribute('data-state') ?? null`);
  return state === (await page.locator(selector).evaluate((element) => (element as unknown as { closest(s: string): { getAttribute(n: string): string | null } | null }).closest('[data-state]')?.getAttribute('data-state')));
}

beforeAll(async () => {
  const success = loadRecording(join(fixtures, 'local-pipeline-success.history.json'));
  write('succeeded', success);
  write('gate-failed', loadRecording(join(fixtures, 'local-pipeline-gate-failure.history.json')));

  const input = JSON.parse(String(success.execution?.input));
  const config = mockConfigFor(success, 'Case');
  const caughtConfig = {
    StateMachines: { 'pricesense-pipeline': { TestCases: { Case: { ...config.StateMachines['pricesense-pipeline']!.TestCases.Case, NotifyFailure: 'Case.NotifyFailure' } } } },
    MockedResponses: {
      ...config.MockedResponses,
      'Case.EvaluateModel': { '0': { Throw: { Error: 'InvalidMetricsError', Cause: LAMBDA_CAUSE } } },
      'Case.NotifyFailure': { '0': { Return: { MessageId: 'local-message-1' } } },
    },
  };
  const mocks = (raw: unknown): TaskRegistry => mockTaskRegistry(loadMockConfig(raw), { testCase: 'Case' });
  const run = (tasks: TaskRegistry, signal?: AbortSignal) =>
    runExecution({ definition: success.definition as object, input, tasks, clock: new VirtualClock('2026-11-21T14:31:13.138Z'), executionName: 'case', ...(signal ? { signal } : {}) });
  write('caught-error', success, await run(mocks(caughtConfig)));

  // Stopped during TrainModel, then redriven to success.
  const control = new AbortController();
  const real = mocks(config);
  const stopping: TaskRegistry = {
    handlerFor: (target) =>
      target.stateName === 'TrainModel'
        ? async () => {
            control.abort('Stopped by SIGINT');
            return new Promise<never>(() => undefined);
          }
        : real.handlerFor(target),
  };
  const first = await run(stopping, control.signal);
  const redriven = await redriveExecution({ definition: success.definition as object, history: first.history, previousMapRuns: first.mapRuns, executionName: 'case', tasks: real, clock: new VirtualClock('2026-11-21T15:00:00.000Z') });
  write('redriven', success, { ...redriven, mapRuns: [...first.mapRuns, ...redriven.mapRuns] });

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  mkdirSync(shots, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('inspector in Chromium', () => {
  it('succeeded: status, no failure box, input and output, Map Runs, and every event in the Events table', async () => {
    const page = await open('succeeded');

    const seen = [
      await page.locator('#summary').getAttribute('data-status'),
      await page.locator('#execution-failure').count(),
      await page.locator('#execution-input').isVisible(),
      await page.locator('#execution-output').isVisible(),
      await page.locator('#map-runs td').first().textContent(),
      (await page.locator('#events-table tbody tr').count()) > 50,
    ];
    await page.screenshot({ path: join(shots, 'elk-succeeded.png'), fullPage: false });

    expect(seen).toEqual(['SUCCEEDED', 0, true, true, 'IngestFeatures', true]);
  });

  it('gate failure: opens on ModelBelowThreshold, selected and in view, with error and cause in header and panel', async () => {
    const page = await open('gate-failed');

    const seen = [
      await page.locator('#execution-error').textContent(),
      (await page.locator('#execution-cause').textContent())?.includes('accuracy'),
      await page.locator('[data-state="ModelBelowThreshold"]').getAttribute('class'),
      await inViewport(page, '[data-state="ModelBelowThreshold"] rect'),
      await page.locator('#panel-title').textContent(),
      await page.locator('#panel .field-execution-error').textContent(),
    ];
    await page.screenshot({ path: join(shots, 'elk-gate-failed.png') });

    expect(seen).toEqual(['ModelBelowThreshold', true, 'node outcome-failed selected', true, 'ModelBelowThreshold', 'ModelBelowThreshold']);
  });

  it('caught Lambda error: drawn as caught; the cause shows its message first, the trace folded, no local paths', async () => {
    const page = await open('caught-error');
    await page.locator('[data-state="EvaluateModel"]').dispatchEvent('click');

    const cause = await page.locator('#panel .field-cause').textContent();
    const panelText = await page.locator('#panel').innerText();
    const seen = [
      await page.locator('#execution-error').textContent(),
      await page.locator('[data-state="EvaluateModel"]').getAttribute('data-outcome'),
      cause,
      await page.locator('#panel .field-trace').isVisible(),
      panelText.includes('/home/') || panelText.includes('/work/'),
    ];
    await page.screenshot({ path: join(shots, 'elk-caught-error.png') });

    expect(seen).toEqual(['InvalidMetricsError', 'caught', 'InvalidMetricsError: The test split s3://goldbucket/gold/run_id=caught/test.csv has no rows', false, false]);
  });

  it('redriven: the Redrives section and the ExecutionRedriven event, found with the Events filter', async () => {
    const page = await open('redriven');
    await page.locator('#events-filter').fill('ExecutionRedriven');

    const seen = [
      await page.locator('#summary').getAttribute('data-status'),
      await page.locator('#redrives').innerText(),
      await page.locator('#events-table tbody tr:not(.hidden) td:nth-child(2)').allTextContents(),
    ];
    await page.screenshot({ path: join(shots, 'elk-redriven.png') });

    expect([seen[0], String(seen[1]).includes('Redriven 1 time: 2026-11-21T15:00:00.000Z'), seen[2]]).toEqual(['SUCCEEDED', true, ['ExecutionRedriven']]);
  });
});
