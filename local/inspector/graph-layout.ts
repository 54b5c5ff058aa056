/**
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
  for (const name of order) {
    const from = boxes.get(name)!.node;
    for (const { to, kind } of successors(states[name]!)) {
      const target = boxes.get(to)?.node;
      if (!target) continue;
      const back = backEdges.has(`${name}->${to}`) || target.y <= from.y;
      const start: [number, number] = [from.x + from.width / 2, from.y + from.height];
      const end: [number, number] = [target.x + target.width / 2, target.y];
      const points: [number, number][] = back
        ? [[from.x + from.width, from.y + from.height / 2], [Math.max(from.x + from.width, target.x + target.width) + 24, (from.y + target.y) / 2], [target.x + target.width, target.y + target.height / 2]]
        : [start, [start[0], (start[1] + end[1]) / 2], [end[0], (start[1] + end[1]) / 2], end];
      edges.push({ from: name, to, kind, back, points });
    }
  }
  return { nodes: order.map((name) => boxes.get(name)!.node), edges, width: width + 40, height };
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
