/**
 * Review finding: in nested Maps whose iterations call a Task with identical parameters, replay
 * paired recorded results with the wrong iteration. Results are now paired by the iteration's
 * position (outer and inner index) in the history.
 */
import { describe, expect, it } from 'vitest';
import { runExecution, VirtualClock, type TaskInvocation } from '../../../local/asl/index.js';
import { replayExecution } from '../../../local/replay/index.js';

const definition = {
  StartAt: 'Outer',
  States: {
    Outer: {
      Type: 'Map',
      ItemsPath: '$.groups',
      ItemProcessor: {
        StartAt: 'Inner',
        States: {
          Inner: {
            Type: 'Map',
            ItemsPath: '$.items',
            ItemProcessor: {
              StartAt: 'Score',
              States: { Score: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'score', Payload: { same: true } }, End: true } },
            },
            End: true,
          },
        },
      },
      End: true,
    },
  },
};

describe('replay of nested Maps with identical Task parameters', () => {
  it('gives each (outer, inner) iteration the result recorded for that iteration', async () => {
    // Later iterations answer first, so history order and index order differ.
    const handler = async (invocation: TaskInvocation) => {
      const [outer = 0, inner = 0] = invocation.mapIndexPath ?? [];
      await new Promise((resolve) => setTimeout(resolve, (3 - outer) * 4 + (3 - inner)));
      return { score: outer * 10 + inner };
    };
    const recorded = await runExecution({
      definition,
      input: { groups: [{ items: [1, 2, 3] }, { items: [1, 2, 3] }, { items: [1, 2] }] },
      tasks: { handlerFor: () => handler },
      clock: new VirtualClock('2026-01-01T00:00:00.000Z'),
    });

    const report = await replayExecution({ recording: { events: recorded.history }, definition });

    expect(recorded.output).toEqual([[{ score: 0 }, { score: 1 }, { score: 2 }], [{ score: 10 }, { score: 11 }, { score: 12 }], [{ score: 20 }, { score: 21 }]]);
    expect([report.identical, report.divergences, report.replayed.output]).toEqual([true, [], recorded.output]);
  });
});
