/**
 * Reader of the JSON model format XGBoost 1.7 writes for `*.json` files (and loads from any file
 * whose content starts with `{`). Floats are written as the shortest decimal of a float32, so
 * `Math.fround(Number(text))` restores them exactly.
 */

import { XgboostModelFormatError, type ParsedEnsemble, type ParsedTree } from './tree-ensemble.js';

type Json = unknown;

function field(value: Json, path: string[], source: string): Json {
  let current: Json = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !(key in current)) {
      throw new XgboostModelFormatError(`${source}: JSON XGBoost model has no "${path.join('.')}"`);
    }
    current = (current as Record<string, Json>)[key];
  }
  return current;
}

function numberArray(value: Json, what: string, source: string): number[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'number')) {
    throw new XgboostModelFormatError(`${source}: "${what}" must be an array of numbers`);
  }
  return value as number[];
}

function numericString(value: Json, what: string, source: string): number {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(parsed)) {
    throw new XgboostModelFormatError(`${source}: "${what}" must be numeric, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

function parseTree(raw: Json, index: number, source: string): ParsedTree {
  const at = (name: string): number[] => numberArray(field(raw, [name], source), `trees[${index}].${name}`, source);
  const categories = at('categories');
  if (categories.length > 0) {
    throw new XgboostModelFormatError(`${source}: tree ${index} has categorical splits, which this scorer does not support`);
  }
  const left = at('left_children');
  const conditions = at('split_conditions');
  return {
    left: Int32Array.from(left),
    right: Int32Array.from(at('right_children')),
    splitIndex: Int32Array.from(at('split_indices')),
    condition: Float32Array.from(conditions),
    defaultLeft: Uint8Array.from(at('default_left')),
  };
}

export function isJsonModel(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes[0] === 0x7b; // '{'
}

export function parseJsonModel(bytes: Uint8Array, source: string): ParsedEnsemble {
  let document: Json;
  try {
    document = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new XgboostModelFormatError(`${source}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const learner = field(document, ['learner'], source);
  const params = field(learner, ['learner_model_param'], source);
  const booster = field(learner, ['gradient_booster', 'name'], source);
  if (booster !== 'gbtree') {
    throw new XgboostModelFormatError(`${source}: booster ${JSON.stringify(booster)} is not supported (expected "gbtree")`);
  }
  const model = field(learner, ['gradient_booster', 'model'], source);
  const rawTrees = field(model, ['trees'], source);
  if (!Array.isArray(rawTrees)) throw new XgboostModelFormatError(`${source}: "trees" must be an array`);
  return {
    objective: String(field(learner, ['objective', 'name'], source)),
    numClass: numericString(field(params, ['num_class'], source), 'num_class', source),
    numFeatures: numericString(field(params, ['num_feature'], source), 'num_feature', source),
    baseScore: Math.fround(numericString(field(params, ['base_score'], source), 'base_score', source)),
    trees: rawTrees.map((tree, index) => parseTree(tree, index, source)),
    treeInfo: Int32Array.from(numberArray(field(model, ['tree_info'], source), 'tree_info', source)),
  };
}
