/**
 * A pure TypeScript scorer of XGBoost 1.7 `multi:softprob` models, proven equal to the `xgboost`
 * command's predictions (test/local/xgboost/parity.test.ts).
 *
 * It reproduces XGBoost's arithmetic where it matters for parity: features are compared as float32
 * (XGBoost stores feature values as float), `value < threshold` goes left, NaN follows the node's
 * default direction, per-class margins accumulate in float32 in tree order starting from
 * base_score, and softmax subtracts the largest margin first.
 */

import { readFile } from 'node:fs/promises';

import { isBinaryModel, parseBinaryModel } from './binary-model-format.js';
import { isJsonModel, parseJsonModel } from './json-model-format.js';
import { XgboostModelFormatError, type ParsedEnsemble } from './tree-ensemble.js';

export { XgboostModelFormatError } from './tree-ensemble.js';

export interface XgboostModel {
  numClass: number;
  numFeatures: number;
  baseScore: number;
  /** Trees in the ensemble: boosting rounds x numClass. */
  numTrees: number;
  /**
   * Class probabilities, row-major: `result[row * numClass + k]`. Rows are either an array of
   * rows (each of length numFeatures) or one flat row-major Float64Array with `numRows` rows.
   * NaN marks a missing value.
   */
  predictProba(rows: ArrayLike<number>[] | Float64Array, numRows?: number): Float64Array;
}

const SUPPORTED_OBJECTIVES = ['multi:softprob'];

/**
 * All trees in one interleaved node table, 16 bytes per node, so a visit touches one cache line:
 * [feature (-1 at a leaf), threshold or leaf value (float32), right child, missing-value child].
 * Nodes are renumbered in depth-first preorder, which puts every left child right after its parent.
 * Batches are scored tree by tree so each tree stays in cache across all rows; per-row margins
 * live in a Float32Array, which rounds every addition to float32 exactly as XGBoost accumulates.
 */
class FlatEnsembleModel implements XgboostModel {
  readonly numClass: number;
  readonly numFeatures: number;
  readonly baseScore: number;
  readonly numTrees: number;
  private readonly roots: Int32Array;
  private readonly treeClass: Int32Array;
  private readonly nodeInts: Int32Array;
  private readonly nodeFloats: Float32Array;

  constructor(ensemble: ParsedEnsemble) {
    this.numClass = ensemble.numClass;
    this.numFeatures = ensemble.numFeatures;
    this.baseScore = ensemble.baseScore;
    this.numTrees = ensemble.trees.length;
    const totalNodes = ensemble.trees.reduce((sum, tree) => sum + tree.left.length, 0);
    const buffer = new ArrayBuffer(totalNodes * 16);
    this.nodeInts = new Int32Array(buffer);
    this.nodeFloats = new Float32Array(buffer);
    this.roots = new Int32Array(ensemble.trees.length);
    this.treeClass = Int32Array.from(ensemble.treeInfo);
    let next = 0;
    ensemble.trees.forEach((tree, t) => {
      this.roots[t] = next;
      // preorder walk; each entry is (original node, slot to patch with its new id)
      const stack: Array<[number, number]> = [[0, -1]];
      while (stack.length > 0) {
        const [original, patch] = stack.pop()!;
        const id = next++;
        if (patch >= 0) this.nodeInts[patch] = id;
        const at = id * 4;
        const left = tree.left[original] ?? -1;
        this.nodeFloats[at + 1] = tree.condition[original] ?? 0;
        if (left === -1) {
          this.nodeInts[at] = -1;
          continue;
        }
        const feature = tree.splitIndex[original] ?? 0;
        if (feature >= this.numFeatures) {
          throw new XgboostModelFormatError(`tree ${t} splits on feature ${feature}, but the model has ${this.numFeatures} features`);
        }
        this.nodeInts[at] = feature;
        const defaultLeft = tree.defaultLeft[original] === 1;
        // the left child is numbered next (id + 1); the right child's id is patched in when it is numbered
        stack.push([tree.right[original] ?? 0, at + 2]);
        stack.push([left, -1]);
        if (defaultLeft) this.nodeInts[at + 3] = id + 1;
        else this.nodeInts[at + 3] = -2; // resolved below: missing follows the right child
      }
    });
    for (let at = 0; at < this.nodeInts.length; at += 4) {
      if (this.nodeInts[at + 3] === -2) this.nodeInts[at + 3] = this.nodeInts[at + 2]!;
    }
  }

  predictProba(rows: ArrayLike<number>[] | Float64Array, numRows?: number): Float64Array {
    const width = this.numFeatures;
    let features: Float32Array;
    let count: number;
    if (rows instanceof Float64Array) {
      count = numRows ?? rows.length / width;
      if (!Number.isInteger(count) || count * width !== rows.length) {
        throw new RangeError(`predictProba: a flat input of ${rows.length} values does not hold ${numRows ?? 'a whole number of'} rows of ${width} features`);
      }
      features = new Float32Array(rows); // rounds to float32, as XGBoost stores feature values
    } else {
      count = rows.length;
      features = new Float32Array(count * width);
      for (let r = 0; r < count; r++) {
        const source = rows[r]!;
        if (source.length !== width) throw new RangeError(`predictProba: row ${r} has ${source.length} values, expected ${width} features`);
        for (let f = 0; f < width; f++) features[r * width + f] = source[f]!;
      }
    }
    const numClass = this.numClass;
    const margins = new Float32Array(count * numClass).fill(this.baseScore);
    const { nodeInts, nodeFloats, roots, treeClass } = this;
    for (let t = 0; t < roots.length; t++) {
      const root = roots[t]!;
      const k = treeClass[t]!;
      for (let r = 0, rowAt = 0; r < count; r++, rowAt += width) {
        let node = root;
        let feature = nodeInts[node * 4]!;
        while (feature >= 0) {
          const at = node * 4;
          const x = features[rowAt + feature]!;
          // NaN fails `<`, so only the right-hand side needs the missing-value test
          node = x < nodeFloats[at + 1]! ? node + 1 : x !== x ? nodeInts[at + 3]! : nodeInts[at + 2]!;
          feature = nodeInts[node * 4]!;
        }
        const slot = r * numClass + k;
        margins[slot] = margins[slot]! + nodeFloats[node * 4 + 1]!;
      }
    }
    const out = new Float64Array(count * numClass);
    for (let r = 0; r < count; r++) softmaxInto(margins, out, r * numClass, numClass);
    return out;
  }
}

/** XGBoost's softmax: subtract the largest margin, exponentiate in float32, normalise. */
function softmaxInto(margins: Float32Array, out: Float64Array, at: number, numClass: number): void {
  let largest = margins[at]!;
  for (let k = 1; k < numClass; k++) if (margins[at + k]! > largest) largest = margins[at + k]!;
  let sum = 0;
  for (let k = 0; k < numClass; k++) {
    const e = Math.fround(Math.exp(margins[at + k]! - largest));
    out[at + k] = e;
    sum += e;
  }
  const total = Math.fround(sum);
  for (let k = 0; k < numClass; k++) out[at + k] = Math.fround(out[at + k]! / total);
}

/** Builds a scorer from model bytes in either format XGBoost 1.7 writes; `source` names them in errors. */
export function xgboostModelFromBytes(bytes: Uint8Array, source = 'model'): XgboostModel {
  let ensemble: ParsedEnsemble;
  if (isBinaryModel(bytes)) ensemble = parseBinaryModel(bytes, source);
  else if (isJsonModel(bytes)) ensemble = parseJsonModel(bytes, source);
  else {
    throw new XgboostModelFormatError(
      `${source}: not an XGBoost model (expected the binary format starting with "binf" or JSON starting with "{")`,
    );
  }
  if (!SUPPORTED_OBJECTIVES.includes(ensemble.objective)) {
    throw new XgboostModelFormatError(
      `${source}: objective "${ensemble.objective}" is not supported (expected one of ${SUPPORTED_OBJECTIVES.join(', ')})`,
    );
  }
  if (ensemble.numClass < 2) {
    throw new XgboostModelFormatError(`${source}: num_class is ${ensemble.numClass}, expected at least 2 for multi:softprob`);
  }
  const badTree = Array.from(ensemble.treeInfo).findIndex((k) => k < 0 || k >= ensemble.numClass);
  if (badTree >= 0 || ensemble.treeInfo.length !== ensemble.trees.length) {
    throw new XgboostModelFormatError(`${source}: tree-to-class table is inconsistent with ${ensemble.numClass} classes`);
  }
  return new FlatEnsembleModel(ensemble);
}

/** Loads `xgboost-model` (binary, as SageMaker writes it) or a `.json` model written by XGBoost 1.7. */
export async function loadXgboostModel(path: string): Promise<XgboostModel> {
  const bytes = await readFile(path);
  return xgboostModelFromBytes(bytes, path);
}
