/** Live progress lines: caught errors drawn as caught, polling loops collapsed, long decimals rounded. */
import { describe, expect, it } from 'vitest';
import { ProgressDisplay, roundNumbers } from '../../../local/pipeline-runner/progress.js';

function render(events: Array<{ type: string; name?: string; error?: string; cause?: string }>): string[] {
  let text = '';
  const stream = { isTTY: false, write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WriteStream;
  const display = new ProgressDisplay({ stream });
  events.forEach((event, index) => {
    const timestamp = new Date(Date.UTC(2026, 0, 1, 0, 0, index));
    const base = { id: index + 1, type: event.type, timestamp };
    if (event.type.endsWith('StateEntered')) display.onEvent({ ...base, stateEnteredEventDetails: { name: event.name } } as never);
    else if (event.type.endsWith('StateExited')) display.onEvent({ ...base, stateExitedEventDetails: { name: event.name } } as never);
    else display.onEvent({ ...base, taskFailedEventDetails: { error: event.error, cause: event.cause } } as never);
  });
  display.stop();
  return text.trim().split('\n');
}

describe('ProgressDisplay', () => {
  it('draws a caught error as caught, naming the error and where it went', () => {
    const lines = render([
      { type: 'TaskStateEntered', name: 'EvaluateModel' },
      { type: 'TaskFailed', error: 'InvalidMetricsError', cause: 'no rows' },
      { type: 'TaskStateEntered', name: 'NotifyFailure' },
      { type: 'TaskStateExited', name: 'NotifyFailure' },
    ]);

    expect(lines).toEqual([
      '↪ EvaluateModel raised InvalidMetricsError — no rows',
      '↪ EvaluateModel                2.0 s  caught InvalidMetricsError → NotifyFailure',
      '✔ NotifyFailure                1.0 s',
    ]);
  });

  it('collapses a polling loop into one line with its count', () => {
    const poll = [
      { type: 'WaitStateEntered', name: 'WaitForEndpoint' },
      { type: 'WaitStateExited', name: 'WaitForEndpoint' },
      { type: 'TaskStateEntered', name: 'DescribeEndpoint' },
      { type: 'TaskStateExited', name: 'DescribeEndpoint' },
    ];
    const lines = render([...poll, ...poll, ...poll, { type: 'SucceedStateEntered', name: 'Done' }, { type: 'SucceedStateExited', name: 'Done' }]);

    expect(lines.map((line) => line.replace(/\s+\d+(\.\d)? (ms|s)$/, ''))).toEqual([
      '✔ WaitForEndpoint',
      '✔ DescribeEndpoint',
      '↻ WaitForEndpoint → DescribeEndpoint ×3',
      '✔ Done',
    ]);
  });

  it('rounds long decimals to 3 significant digits', () => {
    expect(roundNumbers('accuracy 0.492307692307692 < 0.75; macroF1 0.488720125083761')).toBe('accuracy 0.492 < 0.75; macroF1 0.489');
  });
});
