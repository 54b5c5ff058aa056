/**
 * The inspector's graph layout computed by elkjs (Eclipse Layout Kernel, layered algorithm,
 * orthogonal edge routing) in Node when the page is rendered: the page gets plain SVG with the
 * computed node positions and edge routes, so it stays self-contained and no edge passes under a
 * node.
 *
 * Each scope (the machine, a Map's ItemProcessor, each Parallel branch) is laid out on its own; a
 * Map or Parallel enters its parent's layout as one fixed-size box holding its laid-out scopes, so
 * the parent's edges are routed around it and its inner edges stay inside it.
 *
 * elkjs only offers a Promise API (`elk.layout`), but its bundled Node build runs the layout
 * synchronously inside a fake worker; `layoutSync` calls that worker's dispatcher directly so the
 * inspector's render stays a synchronous function.
 */
import { createRequire } from 'node:module';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import type { AslStateLike } from '../replay/definition-walk.js';
import type { EdgeKind, GraphLayout, LayoutEdge, LayoutNode, Scope } from './graph-types.js';

const NODE_WIDTH = 180;
const NODE_HEIGHT = 38;
const BRANCH_GAP = 36;
const PAD = 22;
const HEADER = 26;

const LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.padding': '[top=0,left=0,bottom=0,right=0]',
  'elk.spacing.nodeNode': '36',
  'elk.spacing.edgeNode': '18',
  'elk.spacing.edgeEdge': '10',
  'elk.layered.spacing.nodeNodeBetweenLayers': '44',
  'elk.layered.spacing.edgeNodeBetweenLayers': '18',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '10',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
};

interface ElkDispatcher {
  dispatch(message: { data: Record<string, unknown> }): void;
}

let dispatcher: ElkDispatcher | undefined;

/** The bundled ELK's in-process worker dispatcher, with the layered algorithm registered. */
function elkDispatcher(): ElkDispatcher {
  if (dispatcher) return dispatcher;
  const require = createRequire(import.meta.url);
  const ELK = require('elkjs/lib/elk.bundled.js') as new () => { worker: { worker: { dispatcher?: ElkDispatcher } } };
  const found = new ELK().worker.worker.dispatcher;
  if (!found || typeof found.dispatch !== 'function') {
    throw new Error('elkjs: the bundled build no longer exposes its in-process dispatcher; the inspector layout needs elkjs 0.9–0.12');
  }
  found.dispatch({ data: { cmd: 'register', algorithms: ['layered'], id: -1 } });
  dispatcher = found;
  return found;
}

/** Runs ELK on `graph` synchronously; the graph is annotated in place with positions and routes. */
export function layoutSync(graph: ElkNode): ElkNode {
  let failure: unknown;
  const message = { cmd: 'layout', graph, layoutOptions: {}, options: {}, id: -2 };
  try {
    elkDispatcher().dispatch({ data: message });
  } catch (error) {
    failure = error;
  }
  if (failure) throw failure instanceof Error ? failure : new Error(`elkjs layout failed: ${String(failure)}`);
  return graph;
}

function successors(state: AslStateLike): { to: string; kind: EdgeKind }[] {
  const out: { to: string; kind: EdgeKind }[] = [];
  if (typeof state.Next === 'string') out.push({ to: state.Next, kind: 'next' });
  for (const choice of (state.Choices as { Next?: string }[] | undefined) ?? []) if (choice.Next) out.push({ to: choice.Next, kind: 'choice' });
  if (typeof state.Default === 'string') out.push({ to: state.Default, kind: 'default' });
  for (const handler of (state.Catch as { Next?: string }[] | undefined) ?? []) if (handler.Next) out.push({ to: handler.Next, kind: 'catch' });
  return out;
}

function shift(node: LayoutNode, dx: number, dy: number): void {
  node.x += dx;
  node.y += dy;
  for (const child of node.children) shift(child, dx, dy);
  for (const edge of node.edges) edge.points = edge.points.map(([px, py]) => [px + dx, py + dy]);
}

/** States in the order a reader expects: depth-first from StartAt, then the unreachable ones. */
function readingOrder(scope: Scope): string[] {
  const states = scope.States ?? {};
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (!(name in states) || seen.has(name)) return;
    seen.add(name);
    order.push(name);
    for (const { to } of successors(states[name]!)) visit(to);
  };
  if (scope.StartAt) visit(scope.StartAt);
  for (const name of Object.keys(states)) visit(name);
  return order;
}

/** Lays out one scope with its top-left corner at (0, 0). */
function layoutScope(scope: Scope): { nodes: LayoutNode[]; edges: LayoutEdge[]; width: number; height: number } {
  const states = scope.States ?? {};
  const order = readingOrder(scope);
  const nodes = new Map<string, LayoutNode>();
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
        cursorX += laid.width + BRANCH_GAP;
        innerHeight = Math.max(innerHeight, laid.height);
      }
      node.width = Math.max(NODE_WIDTH, cursorX - BRANCH_GAP + PAD);
      node.height = HEADER + PAD + innerHeight + PAD;
    }
    nodes.set(name, node);
  }

  const edgeKinds: { from: string; to: string; kind: EdgeKind }[] = [];
  for (const name of order) {
    for (const { to, kind } of successors(states[name]!)) if (nodes.has(to)) edgeKinds.push({ from: name, to, kind });
  }
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: LAYOUT_OPTIONS,
    children: order.map((name) => ({ id: `n${order.indexOf(name)}`, width: nodes.get(name)!.width, height: nodes.get(name)!.height })),
    edges: edgeKinds.map((edge, index) => ({ id: `e${index}`, sources: [`n${order.indexOf(edge.from)}`], targets: [`n${order.indexOf(edge.to)}`] })),
  };
  layoutSync(graph);

  const laidNodes = (graph.children ?? []).map((child, index) => {
    const node = nodes.get(order[index]!)!;
    shift(node, child.x ?? 0, child.y ?? 0);
    return node;
  });
  const laidEdges = (graph.edges ?? []).map((elkEdge, index): LayoutEdge => {
    const { from, to, kind } = edgeKinds[index]!;
    const points: [number, number][] = [];
    for (const section of (elkEdge as { sections?: { startPoint: { x: number; y: number }; bendPoints?: { x: number; y: number }[]; endPoint: { x: number; y: number } }[] }).sections ?? []) {
      for (const point of [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]) {
        const last = points[points.length - 1];
        if (!last || last[0] !== point.x || last[1] !== point.y) points.push([point.x, point.y]);
      }
    }
    const source = nodes.get(from)!;
    const target = nodes.get(to)!;
    return { from, to, kind, back: target.y <= source.y, orthogonal: true, points };
  });
  return { nodes: laidNodes, edges: laidEdges, width: graph.width ?? NODE_WIDTH, height: graph.height ?? NODE_HEIGHT };
}

/** The whole definition laid out by ELK, with a margin around it. */
export function layoutDefinitionWithElk(definition: Scope, margin = 24): GraphLayout {
  const laid = layoutScope(definition);
  for (const node of laid.nodes) shift(node, margin, margin);
  for (const edge of laid.edges) edge.points = edge.points.map(([px, py]) => [px + margin, py + margin]);
  return { nodes: laid.nodes, edges: laid.edges, width: laid.width + 2 * margin, height: laid.height + 2 * margin };
}
