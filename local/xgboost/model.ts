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
  /**
   * Class probabilities, row-major: `result[row * numClass + k]`. Rows are either an array of
   * rows (each of length numFeatures) or one flat row-major Float64Array with `numRows` rows.
   * NaN marks a missing value.
   */
  predictProba(rows: ArrayLike<number>[] | Float64Array, numRows?: number): Float64Array;
}

const SUPPORTED_OBJECTIVES = ['multi:softprob'];

/** All trees in shared typed arrays; node ids are global so traversal never touches objects. */
class FlatEnsembleModel implements XgboostModel {
  readonly numClass: number;
  readonly numFeatures: number;
  readonly baseScore: number;
  private readonly roots: Int32Array;
  private readonly treeClass: Int32Array;
  /** Feature index at split nodes, -1 at leaves. */
  private readonly feature: Int32Array;
  /** Threshold at split nodes, leaf value at leaves (float32 values held as doubles). */
  private readonly value: Float64Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly missing: Int32Array;
  private readonly row: Float64Array;
  private readonly margins: Float64Array;

  constructor(ensemble: ParsedEnsemble) {
    this.numClass = ensemble.numClass;
    this.numFeatures = ensemble.numFeatures;
    this.baseScore = ensemble.baseScore;
    const totalNodes = ensemble.trees.reduce((sum, tree) => sum + tree.left.length, 0);
    this.roots = new Int32Array(ensemble.trees.length);
    this.treeClass = Int32Array.from(ensemble.treeInfo);
    this.feature = new Int32Array(totalNodes);
    this.value = new Float64Array(totalNodes);
    this.left = new Int32Array(totalNodes);
    this.right = new Int32Array(totalNodes);
    this.missing = new Int32Array(totalNodes);
    let base = 0;
    ensemble.trees.forEach((tree, t) => {
      this.roots[t] = base;
      for (let n = 0; n < tree.left.length; n++) {
        const node = base + n;
        const leftChild = tree.left[n] ?? -1;
        const isLeaf = leftChild === -1;
        this.value[node] = tree.condition[n] ?? 0;
        this.feature[node] = isLeaf ? -1 : (tree.splitIndex[n] ?? 0);
        this.left[node] = isLeaf ? -1 : base + leftChild;
        this.right[node] = isLeaf ? -1 : base + (tree.right[n] ?? 0);
        this.missing[node] = tree.defaultLeft[n] === 1 ? this.left[node]! : this.right[node]!;
      }
      base += tree.left.length;
    });
    this.row = new Float64Array(this.numFeatures);
    this.margins = new Float64Array(this.numClass);
  }

  predictProba(rows: ArrayLike<number>[] | Float64Array, numRows?: number): Float64Array {
    const flat = rows instanceof Float64Array;
    const count = flat ? (numRows ?? rows.length / this.numFeatures) : rows.length;
    if (flat && (!Number.isInteger(count) || count * this.numFeatures !== rows.length)) {
      throw new RangeError(
        `predictProba: a flat input of ${rows.length} values does not hold ${numRows ?? 'a whole number of'} rows of ${this.numFeatures} features`,
      );
    }
    const out = new Float64Array(count * this.numClass);
    const row = this.row;
    for (let r = 0; r < count; r++) {
      if (flat) {
        const start = r * this.numFeatures;
        for (let f = 0; f < this.numFeatures; f++) row[f] = Math.fround(rows[start + f]!);
      } else {
        const source = rows[r]!;
        if (source.length !== this.numFeatures) {
          throw new RangeError(`predictProba: row ${r} has ${source.length} values, expected ${this.numFeatures} features`);
        }
        for (let f = 0; f < this.numFeatures; f++) row[f] = Math.fround(source[f]!);
      }
      this.scoreRow(out, r * this.numClass);
    }
    return out;
  }

  private scoreRow(out: Float64Array, at: number): void {
    const { feature, value, left, right, missing, roots, treeClass, margins, row } = this;
    margins.fill(this.baseScore);
    for (let t = 0; t < roots.length; t++) {
      let node = roots[t]!;
      let split = feature[node]!;
      while (split >= 0) {
        const x = row[split]!;
        node = x !== x ? missing[node]! : x < value[node]! ? left[node]! : right[node]!;
        split = feature[node]!;
      }
      const k = treeClass[t]!;
      margins[k] = Math.fround(margins[k]! + value[node]!);
    }
    let largest = margins[0]!;
    for (let k = 1; k < margins.length; k++) if (margins[k]! > largest) largest = margins[k]!;
    let sum = 0;
    for (let k = 0; k < margins.length; k++) {
      const e = Math.fround(Math.exp(margins[k]! - largest));
      margins[k] = e;
      sum += e;
    }
    const total = Math.fround(sum);
    for (let k = 0; k < margins.length; k++) out[at + k] = Math.fround(margins[k]! / total);
  }
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
