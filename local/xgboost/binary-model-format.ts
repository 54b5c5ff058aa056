/**
 * Reader of the legacy binary model format that XGBoost 1.7 writes when the file name does not
 * end in `.json`/`.ubj` — which is what SageMaker's built-in XGBoost 1.7 saves as `xgboost-model`.
 *
 * Layout (little endian, all C structs written raw, see xgboost src/learner.cc, src/gbm/gbtree_model.cc,
 * src/tree/tree_model.cc of release 1.7):
 *   "binf" | LearnerModelParamLegacy (136 bytes: base_score f32, num_feature u32, num_class i32, ...)
 *   | objective name (u64 length + bytes) | booster name (u64 length + bytes)
 *   | GBTreeModelParam (160 bytes: num_trees i32, ...)
 *   | per tree: TreeParam (148 bytes: num_nodes at +4) | num_nodes x Node (20 bytes:
 *     parent i32, cleft i32, cright i32, sindex u32 (bit 31 = default left), info f32)
 *     | num_nodes x RTreeNodeStat (16 bytes, unused here)
 *   | tree_info (num_trees x i32) | attributes and metric names (unused here).
 */

import { XgboostModelFormatError, type ParsedEnsemble, type ParsedTree } from './tree-ensemble.js';

const MAGIC = 'binf';
const LEARNER_PARAM_BYTES = 136;
const GBTREE_PARAM_BYTES = 160;
const TREE_PARAM_BYTES = 148;
const NODE_BYTES = 20;
const NODE_STAT_BYTES = 16;
const DEFAULT_LEFT_BIT = 0x80000000;

export function isBinaryModel(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && Buffer.from(bytes.subarray(0, 4)).toString('latin1') === MAGIC;
}

export function parseBinaryModel(bytes: Uint8Array, source: string): ParsedEnsemble {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  const need = (count: number, what: string): void => {
    if (offset + count > bytes.length) {
      throw new XgboostModelFormatError(
        `${source}: binary XGBoost model is truncated while reading ${what} (needs ${count} bytes at offset ${offset}, file has ${bytes.length})`,
      );
    }
  };
  const readString = (what: string): string => {
    need(8, what);
    const length = Number(view.getBigUint64(offset, true));
    offset += 8;
    need(length, what);
    const text = Buffer.from(bytes.subarray(offset, offset + length)).toString('utf8');
    offset += length;
    return text;
  };

  if (!isBinaryModel(bytes)) {
    throw new XgboostModelFormatError(`${source}: not a binary XGBoost model (expected the magic "binf")`);
  }
  offset = 4;
  need(LEARNER_PARAM_BYTES, 'the learner parameters');
  const baseScore = view.getFloat32(offset, true);
  const numFeatures = view.getUint32(offset + 4, true);
  const numClass = view.getInt32(offset + 8, true);
  offset += LEARNER_PARAM_BYTES;
  const objective = readString('the objective name');
  const booster = readString('the booster name');
  if (booster !== 'gbtree') {
    throw new XgboostModelFormatError(`${source}: booster "${booster}" is not supported (expected "gbtree")`);
  }

  need(GBTREE_PARAM_BYTES, 'the tree-model parameters');
  const numTrees = view.getInt32(offset, true);
  offset += GBTREE_PARAM_BYTES;
  if (numTrees < 0) throw new XgboostModelFormatError(`${source}: negative tree count ${numTrees}`);

  const trees: ParsedTree[] = [];
  for (let t = 0; t < numTrees; t++) {
    need(TREE_PARAM_BYTES, `the parameters of tree ${t}`);
    const numNodes = view.getInt32(offset + 4, true);
    offset += TREE_PARAM_BYTES;
    need(numNodes * (NODE_BYTES + NODE_STAT_BYTES), `the nodes of tree ${t}`);
    const tree: ParsedTree = {
      left: new Int32Array(numNodes),
      right: new Int32Array(numNodes),
      splitIndex: new Int32Array(numNodes),
      condition: new Float32Array(numNodes),
      defaultLeft: new Uint8Array(numNodes),
    };
    for (let n = 0; n < numNodes; n++) {
      const at = offset + n * NODE_BYTES;
      const sindex = view.getUint32(at + 12, true);
      tree.left[n] = view.getInt32(at + 4, true);
      tree.right[n] = view.getInt32(at + 8, true);
      tree.splitIndex[n] = sindex & ~DEFAULT_LEFT_BIT;
      tree.defaultLeft[n] = (sindex & DEFAULT_LEFT_BIT) !== 0 ? 1 : 0;
      tree.condition[n] = view.getFloat32(at + 16, true);
    }
    offset += numNodes * (NODE_BYTES + NODE_STAT_BYTES);
    trees.push(tree);
  }

  need(numTrees * 4, 'the tree-to-class table');
  const treeInfo = new Int32Array(numTrees);
  for (let t = 0; t < numTrees; t++) treeInfo[t] = view.getInt32(offset + t * 4, true);

  return { objective, numClass, numFeatures, baseScore, trees, treeInfo };
}
