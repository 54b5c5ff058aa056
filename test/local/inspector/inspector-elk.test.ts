/**
 * The elkjs layout in headless Chromium, on the real pipeline definition: no edge segment crosses
 * a node box other than the edge's own endpoints (and the containers holding them), computed from
 * the rendered SVG geometry; and the header's failed-state link selects the failed state and pans
 * it into view.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectorHtml, layoutDefinitionWithElk, type GraphLayout, type LayoutNode } from '../../../local/inspector/index.js';
import { loadRecording } from '../../../local/testing/index.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures');
const pages = mkdtempSync(join(tmpdir(), 'pricesense-inspector-elk-'));
const success = loadRecording(join(fixtures, 'local-pipeline-success.history.json'));
const gateFailed = loadRecording(join(fixtures, 'local-pipeline-gate-failure.history.json'));

interface Box { state: string; x: number; y: number; width: number; height: number }
interface Edge { from: string; to: string; points: [number, number][] }

/** Does the segment a→b pass through the inside of the box (Liang–Barsky clipping, 1 px inset)? */
function crosses([ax, ay]: [number, number], [bx, by]: [number, number], box: Box): boolean {
  const inset = 1;
  const [left, right, top, bottom] = [box.x + inset, box.x + box.width - inset, box.y + inset, box.y + box.height - inset];
  const dx = bx - ax;
  const dy = by - ay;
  let t0 = 0;
  let t1 = 1;
  for (const [p, q] of [[-dx, ax - left], [dx, right - ax], [-dy, ay - top], [dy, bottom - ay]] as [number, number][]) {
    if (p === 0) {
      if (q <= 0) return false;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
    }
  }
  return t0 < t1;
}

const contains = (outer: Box, inner: Box): boolean =>
  outer !== inner && outer.x <= inner.x && outer.y <= inner.y && outer.x + outer.width >= inner.x + inner.width && outer.y + outer.height >= inner.y + inner.height;

/** Every "edge from → to crosses box" found: the edge's endpoints and the containers around them are allowed. */
function crossings(boxes: Box[], edges: Edge[]): string[] {
  const byName = new Map(boxes.map((box) => [box.state, box]));
  const found: string[] = [];
  for (const edge of edges) {
    const ends = [byName.get(edge.from)!, byName.get(edge.to)!];
    for (const box of boxes) {
      if (ends.includes(box) || ends.some((end) => contains(box, end))) continue;
      for (let index = 1; index < edge.points.length; index += 1) {
        if (crosses(edge.points[index - 1]!, edge.points[index]!, box)) {
          found.push(`${edge.from} → ${edge.to} crosses ${box.state}`);
          break;
        }
      }
    }
  }
  return found;
}

function layoutGeometry(layout: GraphLayout): { boxes: Box[]; edges: Edge[] } {
  const boxes: Box[] = [];
  const edges: Edge[] = [];
  const walk = (nodes: GraphLayout['nodes'], scopeEdges: GraphLayout['edges']): void => {
    edges.push(...scopeEdges.map((edge) => ({ from: edge.from, to: edge.to, points: edge.points })));
    for (const node of nodes) {
      boxes.push({ state: node.name, x: node.x, y: node.y, width: node.width, height: node.height });
      walk(node.children, node.edges);
    }
  };
  walk(layout.nodes, layout.edges);
  return { boxes, edges };
}

/** Node boxes and edge polylines as the page draws them (rect attributes and path `d`). */
async function svgGeometry(page: Page): Promise<{ boxes: Box[]; edges: Edge[] }> {
  const boxes = await page.$$eval('#graph g.node', (groups) =>
    groups.map((group) => {
      const rect = group.querySelector('rect')!;
      const number = (name: string): number => Number(rect.getAttribute(name));
      return { state: group.getAttribute('data-state')!, x: number('x'), y: number('y'), width: number('width'), height: number('height') };
    }),
  );
  const raw = await page.$$eval('#graph path.edge', (paths) =>
    paths.map((path) => ({ from: path.getAttribute('data-from')!, to: path.getAttribute('data-to')!, d: path.getAttribute('d')! })),
  );
  const edges = raw.map(({ from, to, d }) => {
    expect(d).toMatch(/^M[\d.,]+( L[\d.,]+)*$/);
    const points = [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((match): [number, number] => [Number(match[1]), Number(match[2])]);
    return { from, to, points };
  });
  return { boxes, edges };
}

let browser: Browser;
const files: Record<string, string> = {};

beforeAll(async () => {
  for (const [name, recording] of [['succeeded', success], ['gate-failed', gateFailed]] as const) {
    const file = join(pages, `${name}.html`);
    writeFileSync(file, inspectorHtml({ definition: recording.definition, events: recording.events as never, executionName: name, mapRuns: recording.mapRuns ?? [], ...(recording.execution ? { execution: recording.execution } : {}) }));
    files[name] = file;
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('inspector layout by elkjs', () => {
  it('on the pipeline definition, no edge segment passes through a node other than its endpoints (from the SVG)', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`file://${files.succeeded}`);
    const { boxes, edges } = await svgGeometry(page);
    const definition = success.definition as { States: Record<string, unknown> };

    expect(boxes.length).toBeGreaterThan(Object.keys(definition.States).length); // the Distributed Maps' inner states too
    expect(edges.length).toBeGreaterThan(40);
    expect(edges.every((edge) => edge.points.length >= 2)).toBe(true);
    expect(crossings(boxes, edges)).toEqual([]);
  });

  it('the check finds crossings: a Choice edge drawn straight down through a state is reported, elkjs routes around it', () => {
    // The hand-written layout elkjs replaced drew ChooseRolloutTarget → NotifySuccess this way, under CreateEndpoint.
    const node = (name: string, y: number): LayoutNode => ({ name, type: 'Task', x: 0, y, width: 180, height: 38, children: [], edges: [] });
    const straightDown: GraphLayout = {
      nodes: [node('ChooseRolloutTarget', 0), node('CreateEndpoint', 90), node('NotifySuccess', 180)],
      edges: [{ from: 'ChooseRolloutTarget', to: 'NotifySuccess', kind: 'default', back: false, points: [[90, 38], [90, 180]] }],
      width: 180,
      height: 218,
    };
    const { boxes, edges } = layoutGeometry(straightDown);
    const elk = layoutGeometry(layoutDefinitionWithElk(success.definition as never));

    expect(crossings(boxes, edges)).toEqual(['ChooseRolloutTarget → NotifySuccess crosses CreateEndpoint']);
    expect(crossings(elk.boxes, elk.edges)).toEqual([]);
  });

  it('every edge starts on its source box and ends on its target box', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`file://${files.succeeded}`);
    const { boxes, edges } = await svgGeometry(page);
    const byName = new Map(boxes.map((box) => [box.state, box]));
    const onBorder = ([x, y]: [number, number], box: Box): boolean =>
      x >= box.x - 0.5 && x <= box.x + box.width + 0.5 && y >= box.y - 0.5 && y <= box.y + box.height + 0.5 &&
      (Math.abs(x - box.x) < 0.5 || Math.abs(x - box.x - box.width) < 0.5 || Math.abs(y - box.y) < 0.5 || Math.abs(y - box.y - box.height) < 0.5);
    const detached = edges.filter((edge) => !onBorder(edge.points[0]!, byName.get(edge.from)!) || !onBorder(edge.points.at(-1)!, byName.get(edge.to)!));
    expect(detached.map((edge) => `${edge.from} → ${edge.to}`)).toEqual([]);
  });

  it('the header link selects the failed state and pans it into the graph frame', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`file://${files['gate-failed']}`);
    // Move away first: another state selected, the graph panned far off.
    await page.locator('[data-state="ValidateInput"]').dispatchEvent('click');
    const frame = (await page.locator('#graph').boundingBox())!;
    await page.mouse.move(frame.x + 200, frame.y + 200);
    await page.mouse.down();
    await page.mouse.move(frame.x + 600, frame.y + 600, { steps: 4 });
    await page.mouse.up();
    const before = await page.locator('#panel-title').textContent();

    await page.click('#failed-state-link');

    const box = (await page.locator('[data-state="ModelBelowThreshold"] rect').boundingBox())!;
    const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const seen = [
      before,
      await page.locator('#failed-state-link').textContent(),
      await page.locator('#panel-title').textContent(),
      await page.locator('.selected').getAttribute('data-state'),
      Math.abs(centre.x - (frame.x + frame.width / 2)) < 2 && Math.abs(centre.y - (frame.y + frame.height / 2)) < 2,
      await page.evaluate(`document.elementFromPoint(${centre.x}, ${centre.y})?.closest('[data-state]')?.getAttribute('data-state') ?? null`),
      page.url().endsWith('.html'),
    ];
    expect(seen).toEqual(['ValidateInput', 'ModelBelowThreshold', 'ModelBelowThreshold', 'ModelBelowThreshold', true, 'ModelBelowThreshold', true]);
  });
});
