/**
 * The core of ValidateInput: find the raw object the execution is about, check it, quarantine it
 * when it is rejected, and name the run's zones when it is accepted.
 */
import { HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { runJobNames } from '../../../workflow/job-names.js';
import type { RunContext } from '../../../workflow/payloads.js';
import { RAW_PREFIX, goldPaths, silverPrefix } from '../../../workflow/s3-layout.js';
import { InvalidExecutionInputError, InvalidRawFileError, RawObjectNotFoundError } from '../shared/errors.js';
import { normalizeExecutionInput, type RawObjectReference } from '../shared/execution-input.js';
import { quarantineRawObject, type QuarantineResult } from './quarantine.js';
import { checkGzipObject } from './gzip-integrity.js';
import { checkRawCsvHead, sampleByteCount } from './raw-csv-check.js';
import { isAccessDeniedError, isNotFoundError, readObjectBytes, unquoteEtag } from '../shared/s3-objects.js';

export interface RawValidationSettings {
  rawBucket: string;
  silverBucket: string;
  goldBucket: string;
  artifactsBucket: string;
  maxObjectBytes: number;
  sampleRows: number;
}

export interface RawValidationHooks {
  now?: () => Date;
  /** Told when a rejected file was quarantined, or why quarantining it failed. */
  onQuarantined?: (result: QuarantineResult) => void;
  onQuarantineFailed?: (error: unknown) => void;
}

export const RAW_FILE_EXTENSIONS = ['.csv', '.csv.gz'] as const;

export async function validateRawObject(
  s3: S3Client,
  input: unknown,
  executionName: string,
  settings: RawValidationSettings,
  hooks: RawValidationHooks = {},
): Promise<RunContext> {
  const reference = normalizeExecutionInput(input);
  checkLocation(reference, settings.rawBucket);
  const { key, head } = await headRawObject(s3, reference);
  const uri = `s3://${reference.bucket}/${key}`;
  const sizeBytes = head.ContentLength ?? 0;
  const etag = unquoteEtag(head.ETag ?? reference.etag);
  const names = runJobNames(executionName);

  try {
    if (sizeBytes === 0) throw new InvalidRawFileError(`Rejected ${uri}: the file is empty (0 bytes): expected a CSV header line followed by data rows`);
    if (sizeBytes > settings.maxObjectBytes) {
      throw new InvalidRawFileError(
        `Rejected ${uri}: the file is ${sizeBytes} bytes, larger than the limit MAX_OBJECT_BYTES = ${settings.maxObjectBytes}: split it into smaller files`,
      );
    }
    const gzip = key.endsWith('.gz');
    if (gzip) {
      // Before the sample: a stream cut short inflates to a short last line, which the sample
      // check would report as a misleading field count.
      const check = await checkGzipObject(s3, reference.bucket, key);
      if ('problem' in check) throw new InvalidRawFileError(`Rejected ${uri}: ${check.problem}`, [check.problem]);
    }
    const byteCount = sampleByteCount(sizeBytes, settings.sampleRows);
    const bytes = await readObjectBytes(s3, reference.bucket, key, byteCount);
    await checkRawCsvHead({ uri, bytes, isWholeObject: byteCount >= sizeBytes, gzip }, settings.sampleRows);
  } catch (error) {
    if (error instanceof InvalidRawFileError) {
      await quarantineQuietly(s3, { bucket: reference.bucket, key, etag, sizeBytes, runId: names.runId, executionName, error }, hooks);
    }
    throw error;
  }

  const gold = goldPaths(names.runId);
  return {
    runId: names.runId,
    bucket: reference.bucket,
    key,
    sizeBytes,
    etag,
    silverUri: `s3://${settings.silverBucket}/${silverPrefix(names.runId)}`,
    goldUri: `s3://${settings.goldBucket}/${gold.root}`,
    artifactsUri: `s3://${settings.artifactsBucket}/`,
    trainingJobName: names.trainingJobName,
    modelName: names.modelName,
    transformJobName: names.transformJobName,
    endpointConfigName: names.endpointConfigName,
  };
}

function checkLocation(reference: RawObjectReference, rawBucket: string): void {
  const where = `s3://${reference.bucket}/${reference.key}`;
  if (reference.bucket !== rawBucket) {
    throw new InvalidExecutionInputError(`Bucket ${JSON.stringify(reference.bucket)} is not the raw bucket: expected ${JSON.stringify(rawBucket)}`);
  }
  if (!reference.key.startsWith(RAW_PREFIX)) {
    throw new InvalidExecutionInputError(`Key ${JSON.stringify(reference.key)} is outside the raw zone: expected a key under ${RAW_PREFIX} (${where})`);
  }
  if (!RAW_FILE_EXTENSIONS.some((extension) => reference.key.endsWith(extension))) {
    throw new InvalidExecutionInputError(
      `Key ${JSON.stringify(reference.key)} is not a CSV file: expected a key ending in ${RAW_FILE_EXTENSIONS.join(' or ')}`,
    );
  }
}

/**
 * Finds the object. S3 notifications URL-encode keys ("my file.csv" → "my+file.csv"), so a key
 * that is not found as given is retried once in decoded form.
 */
async function headRawObject(s3: S3Client, reference: RawObjectReference): Promise<{ key: string; head: HeadObjectCommandOutput }> {
  const decoded = safeDecode(reference.key);
  const candidates = decoded !== null && decoded !== reference.key ? [reference.key, decoded] : [reference.key];
  let lastError: unknown;
  for (const key of candidates) {
    try {
      return { key, head: await s3.send(new HeadObjectCommand({ Bucket: reference.bucket, Key: key })) };
    } catch (error) {
      if (!isNotFoundError(error) && !isAccessDeniedError(error)) throw error;
      lastError = error;
    }
  }
  const where = `s3://${reference.bucket}/${reference.key}`;
  const why = isAccessDeniedError(lastError) ? 'is not readable (access denied; S3 also says this for a missing key when ListBucket is not allowed)' : 'does not exist';
  throw new RawObjectNotFoundError(`The raw object ${where} ${why}: upload the file first or check the bucket and key`, lastError);
}

function safeDecode(key: string): string | null {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

async function quarantineQuietly(
  s3: S3Client,
  target: { bucket: string; key: string; etag: string; sizeBytes: number; runId: string; executionName: string; error: InvalidRawFileError },
  hooks: RawValidationHooks,
): Promise<void> {
  try {
    const result = await quarantineRawObject(s3, {
      ...target,
      error: { name: target.error.name, message: target.error.message, problems: target.error.problems },
      time: (hooks.now ?? (() => new Date()))(),
    });
    hooks.onQuarantined?.(result);
  } catch (error) {
    // The rejection is what the user must see; a failed copy is logged, not allowed to mask it.
    hooks.onQuarantineFailed?.(error);
  }
}
