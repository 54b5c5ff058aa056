/**
 * The laid-out graph the inspector draws: states as boxes (Map and Parallel as containers holding
 * their own states and edges) and transitions as polylines. elk-layout.ts computes it,
 * render-html.ts draws it.
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

/** A states scope of an ASL definition: the top level, a Parallel branch or a Map's ItemProcessor. */
export interface Scope {
  StartAt?: string;
  States?: Record<string, AslStateLike>;
}

export interface GraphLayout {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  width: number;
  height: number;
}
