/**
 * Reads what EvaluateModel compares: the test labels (one 0/1/2 per line) and the batch-transform
 * output (one line of three class probabilities per test row, as `0.1,0.2,0.7` or `[0.1, 0.2, 0.7]`).
 * Batch transform writes `<input file name>.out` under its output prefix, so both sides are read
 * as sorted lists of objects and concatenated in the same order.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { parseS3Uri } from '../../../workflow/s3-uri.js';
import type { LabelIndex } from '../../../workflow/payloads.js';
import { CLASS_COUNT } from './classification-metrics.js';
import { EvaluationInputMismatchError } from '../shared/errors.js';
import { listKeys, readObjectText } from '../shared/s3-objects.js';

export interface EvaluationRows {
  actual: LabelIndex[];
  predicted: LabelIndex[];
}

export async function readEvaluationRows(s3: S3Client, labelsUri: string, predictionsUri: string): Promise<EvaluationRows> {
  const labelTexts = await readUriObjects(s3, labelsUri, (key) => !isMarker(key), 'label');
  const predictionTexts = await readUriObjects(s3, predictionsUri, (key) => key.endsWith('.out'), 'batch-transform output (.out)');
  const actual = labelTexts.flatMap(({ uri, text }) => parseLabels(text, uri));
  const predicted = predictionTexts.flatMap(({ uri, text }) => parsePredictions(text, uri));
  if (actual.length !== predicted.length) {
    throw new EvaluationInputMismatchError(
      `The test split has ${actual.length} labels (${labelsUri}) but the batch transform returned ${predicted.length} predictions ` +
        `(${predictionsUri}): expected one prediction line per test row, in the same order`,
    );
  }
  if (actual.length === 0) {
    throw new EvaluationInputMismatchError(`No test rows: ${labelsUri} holds no labels: expected one label (0, 1 or 2) per line`);
  }
  return { actual, predicted };
}

/** A URI ending in `/` is a prefix: every matching object under it, in key order. */
async function readUriObjects(
  s3: S3Client,
  uri: string,
  include: (key: string) => boolean,
  what: string,
): Promise<Array<{ uri: string; text: string }>> {
  const { bucket, key } = parseS3Uri(uri);
  const keys = key === '' || key.endsWith('/') ? (await listKeys(s3, bucket, key)).filter(include).sort() : [key];
  if (keys.length === 0) {
    throw new EvaluationInputMismatchError(`No ${what} objects under ${uri}: expected the objects the previous step wrote there`);
  }
  return Promise.all(keys.map(async (objectKey) => ({ uri: `s3://${bucket}/${objectKey}`, text: await readObjectText(s3, bucket, objectKey) })));
}

/** Spark and Hadoop writers leave `_SUCCESS` and similar markers next to their data. */
function isMarker(key: string): boolean {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return name === '' || name.startsWith('_') || name.startsWith('.');
}

export function parseLabels(text: string, uri: string): LabelIndex[] {
  const labels: LabelIndex[] = [];
  lines(text).forEach(({ line, content }) => {
    const value = Number(content);
    if (content === '' || !Number.isInteger(value) || value < 0 || value >= CLASS_COUNT) {
      throw new EvaluationInputMismatchError(`${uri} line ${line}: label ${JSON.stringify(content)} is not a class index: expected 0 (LA), 1 (MM) or 2 (UM)`);
    }
    labels.push(value as LabelIndex);
  });
  return labels;
}

/** The predicted class is the most probable one (the first on a tie, as argmax does). */
export function parsePredictions(text: string, uri: string): LabelIndex[] {
  return lines(text).map(({ line, content }) => {
    const bare = content.startsWith('[') && content.endsWith(']') ? content.slice(1, -1) : content;
    const parts = bare.split(',');
    const probabilities = parts.map((part) => Number(part));
    // Number() skips the whitespace trim() would; a blank part would read as 0
    if (probabilities.length !== CLASS_COUNT || probabilities.some((p, index) => !Number.isFinite(p) || (p === 0 && parts[index]!.trim() === ''))) {
      throw new EvaluationInputMismatchError(
        `${uri} line ${line}: ${JSON.stringify(content.slice(0, 100))} is not ${CLASS_COUNT} class probabilities: expected a line like 0.1,0.2,0.7 or [0.1, 0.2, 0.7]`,
      );
    }
    let best = 0;
    probabilities.forEach((p, index) => {
      if (p > probabilities[best]!) best = index;
    });
    return best as LabelIndex;
  });
}

/** Non-blank lines with their 1-based line numbers (a trailing newline is not a row). */
function lines(text: string): Array<{ line: number; content: string }> {
  return text
    .split(/\r?\n/)
    .map((content, index) => ({ line: index + 1, content: content.trim() }))
    .filter(({ content }) => content !== '');
}
