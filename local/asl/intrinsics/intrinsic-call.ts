import type { IntrinsicNode } from './parser.js';

/** One evaluated call as an intrinsic implementation sees it. */
export interface IntrinsicCall {
  /** e.g. "States.Format" — every error message starts with it. */
  name: string;
  /** Argument values, already evaluated (paths resolved, nested calls run). */
  args: unknown[];
  /** The argument syntax, for functions that treat literals specially (Format templates). */
  nodes: IntrinsicNode[];
  /** Uniform in [0, 1); injected so tests and replays are deterministic. */
  random: () => number;
}

export type IntrinsicImplementation = (call: IntrinsicCall) => unknown;
