import { describe, expect, it } from 'vitest';
import { layoutDefinition, type LayoutEdge } from '../../../local/inspector/index.js';

const task = (next: string) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'NotifyFailure' }], Next: next });
// Every task catches to one NotifyFailure, as the pipeline does; a Choice puts a Map beside a Fail.
const definition = {
  StartAt: 'Validate',
  States: {
    Validate: task('Gate'),
    Gate: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Ingest' }], Default: 'Rejected' },
    Ingest: {
      ...task('Train'), Type: 'Map',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'IngestFile', States: { IngestFile: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
    },
    Rejected: { Type: 'Fail', Error: 'Rejected' },
    Train: task('Deploy'),
    Deploy: task('Done'),
    Done: { Type: 'Succeed' },
    NotifyFailure: { Type: 'Pass', Next: 'Failed' },
    Failed: { Type: 'Fail', Error: 'PipelineFailed' },
  },
};

type Segment = { fixed: number; from: number; to: number; vertical: boolean };

function segments(edge: LayoutEdge): Segment[] {
  return edge.points.slice(1).flatMap(([x, y], index): Segment[] => {
    const [px, py] = edge.points[index]!;
    if (px === x) return [{ vertical: true, fixed: x, from: Math.min(py, y), to: Math.max(py, y) }];
    if (py === y) return [{ vertical: false, fixed: y, from: Math.min(px, x), to: Math.max(px, x) }];
    return [];
  });
}

const overlaps = (a: Segment, b: Segment): boolean => a.vertical === b.vertical && a.fixed === b.fixed && Math.min(a.to, b.to) - Math.max(a.from, b.from) > 0;

describe('graph layout', () => {
  it('routes no Catch edge along any part of a Next, Choice or Default edge', () => {
    const layout = layoutDefinition(definition);
    const catches = layout.edges.filter((edge) => edge.kind === 'catch');
    const flow = layout.edges.filter((edge) => edge.kind !== 'catch' && !edge.back);

    const shared = catches.flatMap((c) => flow.filter((f) => segments(c).some((cs) => segments(f).some((fs) => overlaps(cs, fs)))).map((f) => `${c.from}->${c.to} on ${f.from}->${f.to}`));

    expect(catches.map((edge) => edge.from)).toEqual(['Validate', 'Ingest', 'Train', 'Deploy']);
    expect(shared).toEqual([]);
  });

  it('leaves every Catch from the right side of its state', () => {
    const layout = layoutDefinition(definition);
    const byName = new Map(layout.nodes.map((node) => [node.name, node]));

    const starts = layout.edges.filter((edge) => edge.kind === 'catch').map((edge) => {
      const node = byName.get(edge.from)!;
      return [edge.points[0]![0] - (node.x + node.width), edge.points[0]![1] - (node.y + node.height / 2)];
    });

    expect(starts).toEqual([[0, 0], [0, 0], [0, 0], [0, 0]]);
  });

  it('leaves a Map container for its Next state from the bottom centre', () => {
    const layout = layoutDefinition(definition);
    const ingest = layout.nodes.find((node) => node.name === 'Ingest')!;

    const edge = layout.edges.find((candidate) => candidate.from === 'Ingest' && candidate.kind === 'next')!;

    expect(edge.to).toBe('Train');
    expect(edge.points[0]).toEqual([ingest.x + ingest.width / 2, ingest.y + ingest.height]);
  });
});
