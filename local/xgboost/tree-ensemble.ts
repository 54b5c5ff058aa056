/**
 * The format-neutral description of a gradient-boosted tree ensemble, as read from either model
 * file format XGBoost 1.7 writes (legacy binary, JSON). The scorer flattens it into typed arrays.
 */

export interface ParsedTree {
  /** Child node ids; -1 in `left` marks a leaf. */
  left: Int32Array;
  right: Int32Array;
  /** Feature index compared at each split node. */
  splitIndex: Int32Array;
  /** Split threshold at split nodes, leaf value at leaves (XGBoost stores both in one slot). */
  condition: Float32Array;
  /** 1 when a missing value goes to the left child. */
  defaultLeft: Uint8Array;
}

export interface ParsedEnsemble {
  objective: string;
  numClass: number;
  numFeatures: number;
  /** Initial margin of every class, as XGBoost stores it (float32). */
  baseScore: number;
  trees: ParsedTree[];
  /** The class (output group) each tree adds to. */
  treeInfo: Int32Array;
}

/** A model file XGBoost 1.7 could not have written, or an objective this scorer cannot score. */
export class XgboostModelFormatError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'XgboostModelFormatError';
  }
}
