/**
 * The layout types the inspector draws (LayoutNode, LayoutEdge, GraphLayout). The page's layout is
 * computed by elkjs (elk-layout.ts); the hand-written layout below is the one it replaced, kept
 * only as the comparison in test/local/inspector/inspector-elk.test.ts (its long edges pass under
 * nodes) and its own tests.
 *
 * Top-to-bottom layered layout of an ASL definition, like the console's graph view: states in
 * layers by their longest forward distance from StartAt, Choice targets side by side, Map and
 * Parallel drawn as containers holding their own layouts.
 */
import type { AslStateLike } from '../replay/definition-walk.js';

export type EdgeKind = 'next' | 'choice' | 'default' | 'catch';

export interface LayoutNode {
  name: string;
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Map/Parallel: the laid-out states inside (one scope per Parallel branch). */
  children: LayoutNode[];
  edges: LayoutEdge[];
}

export interface LayoutEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Goes to the same or an earlier layer (a loop). */
  back: boolean;
  points: [number, number][];
  /** Routed by ELK: draw the points as a polyline whatever the direction. */
  orthogonal?: boolean;
}

export interface Scope {
  StartAt?: string;
  States?: Record<string, AslStateLike>;
}

const NODE_WIDTH = 180;
const NODE_HEIGHT = 38;
const GAP_X = 36;
const GAP_Y = 52;
const PAD = 22;
const HEADER = 26;
/** Distance from the widest row to the vertical lane every Catch edge of a scope runs down. */
const CATCH_LANE = 30;
/** Catch stubs stay this far from the node they leave or enter, so they never touch Next arrows. */
const CATCH_STUB = 14;

function successors(state: AslStateLike): { to: string; kind: EdgeKind }[] {
  const out: { to: string; kind: EdgeKind }[] = [];
  if (typeof state.Next === 'string') out.push({ to: state.Next, kind: 'next' });
  for (const choice of (state.Choices as { Next?: string }[] | undefined) ?? []) if (choice.Next) out.push({ to: choice.Next, kind: 'choice' });
  if (typeof state.Default === 'string') out.push({ to: state.Default, kind: 'default' });
  for (const handler of (state.Catch as { Next?: string }[] | undefined) ?? []) if (handler.Next) out.push({ to: handler.Next, kind: 'catch' });
  return out;
}

interface Box {
  node: LayoutNode;
  layer: number;
}

/** Lays out one scope with its top-left corner at (0, 0); returns its nodes and size. */
function layoutScope(scope: Scope): { nodes: LayoutNode[]; edges: LayoutEdge[]; width: number; height: number } {
  const states = scope.States ?? {};
  const names = Object.keys(states);
  // Depth-first from StartAt: edges to a state still on the stack are loops and do not push layers.
  const layer = new Map<string, number>();
  const order: string[] = [];
  const onStack = new Set<string>();
  const backEdges = new Set<string>();
  const visit = (name: string, depth: number): void => {
    if (!(name in states)) return;
    if (onStack.has(name)) return;
    if ((layer.get(name) ?? -1) >= depth) return;
    if (!layer.has(name)) order.push(name);
    layer.set(name, depth);
    onStack.add(name);
    for (const { to } of successors(states[name]!)) {
      if (onStack.has(to)) backEdges.add(`${name}->${to}`);
      else visit(to, depth + 1);
    }
    onStack.delete(name);
  };
  if (scope.StartAt) visit(scope.StartAt, 0);
  let extra = Math.max(-1, ...layer.values()) + 1;
  for (const name of names) if (!layer.has(name)) { layer.set(name, extra++); order.push(name); } // unreachable: below everything

  const boxes = new Map<string, Box>();
  for (const name of order) {
    const state = states[name]!;
    const node: LayoutNode = { name, type: state.Type ?? 'Task', x: 0, y: 0, width: NODE_WIDTH, height: NODE_HEIGHT, children: [], edges: [] };
    const innerScopes: Scope[] = state.Type === 'Parallel' ? (state.Branches ?? []) : state.Type === 'Map' ? [state.ItemProcessor ?? state.Iterator ?? {}] : [];
    if (innerScopes.length > 0) {
      let cursorX = PAD;
      let innerHeight = 0;
      for (const inner of innerScopes) {
        const laid = layoutScope(inner);
        for (const child of laid.nodes) shift(child, cursorX, HEADER + PAD);
        for (const edge of laid.edges) edge.points = edge.points.map(([px, py]) => [px + cursorX, py + HEADER + PAD]);
        node.children.push(...laid.nodes);
        node.edges.push(...laid.edges);
        cursorX += laid.width + GAP_X;
        innerHeight = Math.max(innerHeight, laid.height);
      }
      node.width = Math.max(NODE_WIDTH, cursorX - GAP_X + PAD);
      node.height = HEADER + PAD + innerHeight + PAD;
    }
    boxes.set(name, { node, layer: layer.get(name)! });
  }

  const layers: Box[][] = [];
  for (const name of order) {
    const box = boxes.get(name)!;
    (layers[box.layer] ??= []).push(box);
  }
  const rowWidths = layers.map((row) => (row ?? []).reduce((sum, box) => sum + box.node.width, 0) + GAP_X * Math.max(0, (row ?? []).length - 1));
  const width = Math.max(NODE_WIDTH, ...rowWidths);
  let y = 0;
  layers.forEach((row, index) => {
    if (!row) return;
    let x = (width - rowWidths[index]!) / 2;
    const rowHeight = Math.max(...row.map((box) => box.node.height));
    for (const box of row) {
      shift(box.node, x, y);
      x += box.node.width + GAP_X;
    }
    y += rowHeight + GAP_Y;
  });
  const height = Math.max(0, y - GAP_Y);

  const edges: LayoutEdge[] = [];
  const hasCatch = order.some((name) => successors(states[name]!).some(({ to, kind }) => kind === 'catch' && boxes.has(to)));
  const laneX = width + CATCH_LANE;
  const rowOf = (node: LayoutNode): Box[] => layers[boxes.get(node.name)!.layer] ?? [];
  const rightmostInRow = (node: LayoutNode): boolean => rowOf(node).every((box) => box.node.x <= node.x);
  const rowBottom = (node: LayoutNode): number => Math.max(...rowOf(node).map((box) => box.node.y + box.node.height));
  for (const name of order) {
    const from = boxes.get(name)!.node;
    for (const { to, kind } of successors(states[name]!)) {
      const target = boxes.get(to)?.node;
      if (!target) continue;
      if (kind === 'catch') {
        edges.push({ from: name, to, kind, back: false, points: catchRoute(from, target, laneX, rightmostInRow, rowBottom) });
        continue;
      }
      const back = backEdges.has(`${name}->${to}`) || target.y <= from.y;
      // Next/Choice edges leave every node, containers included, from its bottom centre and turn
      // in the gap just above the target's row, where no Catch edge runs.
      const start: [number, number] = [from.x + from.width / 2, from.y + from.height];
      const end: [number, number] = [target.x + target.width / 2, target.y];
      const turnY = end[1] - GAP_Y / 2;
      const points: [number, number][] = back
        ? [[from.x + from.width, from.y + from.height / 2], [Math.max(from.x + from.width, target.x + target.width) + 24, (from.y + target.y) / 2], [target.x + target.width, target.y + target.height / 2]]
        : start[0] === end[0] ? [start, end] : [start, [start[0], turnY], [end[0], turnY], end];
      edges.push({ from: name, to, kind, back, points });
    }
  }
  return { nodes: order.map((name) => boxes.get(name)!.node), edges, width: width + 40 + (hasCatch ? CATCH_LANE : 0), height };
}

/**
 * A Catch edge leaves its state from the right side and runs down (or up) a lane to the right of
 * the whole scope, then enters its target from the right, so it never lies on a Next arrow. A
 * state with a neighbour to its right first drops into the gap below its row (a quarter down, the
 * Next arrows turn at the half); a target with a neighbour to its right is entered from above.
 */
function catchRoute(
  from: LayoutNode,
  target: LayoutNode,
  laneX: number,
  rightmostInRow: (node: LayoutNode) => boolean,
  rowBottom: (node: LayoutNode) => number,
): [number, number][] {
  const exitY = from.y + from.height / 2;
  const stubX = from.x + from.width + CATCH_STUB;
  const points: [number, number][] = [[from.x + from.width, exitY]];
  if (rightmostInRow(from)) {
    points.push([laneX, exitY]);
  } else {
    const gapY = rowBottom(from) + GAP_Y / 4;
    points.push([stubX, exitY], [stubX, gapY], [laneX, gapY]);
  }
  if (rightmostInRow(target)) {
    const entryY = target.y + target.height / 2;
    points.push([laneX, entryY], [target.x + target.width, entryY]);
  } else {
    const aboveY = target.y - GAP_Y / 4;
    const entryX = target.x + target.width - CATCH_STUB;
    points.push([laneX, aboveY], [entryX, aboveY], [entryX, target.y]);
  }
  return points;
}

function shift(node: LayoutNode, dx: number, dy: number): void {
  node.x += dx;
  node.y += dy;
  for (const child of node.children) shift(child, dx, dy);
  for (const edge of node.edges) edge.points = edge.points.map(([px, py]) => [px + dx, py + dy]);
}

export interface GraphLayout {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  width: number;
  height: number;
}

export function layoutDefinition(definition: Scope, margin = 24): GraphLayout {
  const laid = layoutScope(definition);
  for (const node of laid.nodes) shift(node, margin, margin);
  for (const edge of laid.edges) edge.points = edge.points.map(([px, py]) => [px + margin, py + margin]);
  return { nodes: laid.nodes, edges: laid.edges, width: laid.width + 2 * margin, height: laid.height + 2 * margin };
}
