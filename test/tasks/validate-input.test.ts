import { gzipSync } from 'node:zlib';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { rawCsv, rawRow, RAW_HEADER, s3Body } from './fixtures.js';

vi.hoisted(() => {
  Object.assign(process.env, {
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    RAW_BUCKET: 'ps-raw',
    SILVER_BUCKET: 'ps-silver',
    GOLD_BUCKET: 'ps-gold',
    ARTIFACTS_BUCKET: 'ps-artifacts',
    MAX_OBJECT_BYTES: '1000000',
    SAMPLE_ROWS: '100',
  });
});

const { handler } = await import('../../tasks/validate-input.js');

const s3 = mockClient(S3Client);
const KEY = 'raw/2026/week-47.csv';
const EXECUTION = 'week-47-0123456789abcdef';

function serveObject(content: string | Uint8Array, key = KEY): void {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  s3.on(HeadObjectCommand, { Bucket: 'ps-raw', Key: key }).resolves({ ContentLength: bytes.length, ETag: '"etag-1"' });
  s3.on(GetObjectCommand, { Bucket: 'ps-raw', Key: key }).resolves({ Body: s3Body(bytes) });
}

async function rejection(content: string | Uint8Array, key = KEY): Promise<Error> {
  serveObject(content, key);
  return handler({ input: { bucket: 'ps-raw', key }, executionName: EXECUTION }).then(
    () => {
      throw new Error('expected the file to be rejected');
    },
    (error: Error) => error,
  );
}

function expectQuarantinedAndOriginalUntouched(key = KEY): void {
  expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, {
    Bucket: 'ps-raw',
    Key: `quarantine/${EXECUTION}/${key}`,
    CopySource: `ps-raw/${key}`,
  });
  expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Bucket: 'ps-raw', Key: `quarantine/${EXECUTION}/reason.json` });
  expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
  expect(s3).not.toHaveReceivedCommandWith(PutObjectCommand, { Key: key });
}

beforeEach(() => {
  s3.reset();
});

describe('validate-input: accepted files', () => {
  it('returns the run context for a console input {bucket, key}', async () => {
    serveObject(rawCsv([rawRow(), rawRow({ SPEND: '10.5' })]));

    const run = await handler({ input: { bucket: 'ps-raw', key: KEY }, executionName: EXECUTION });

    expect(run).toEqual({
      runId: EXECUTION,
      bucket: 'ps-raw',
      key: KEY,
      sizeBytes: rawCsv([rawRow(), rawRow({ SPEND: '10.5' })]).length,
      etag: 'etag-1',
      silverUri: `s3://ps-silver/silver/run_id=${EXECUTION}/`,
      goldUri: `s3://ps-gold/gold/run_id=${EXECUTION}/`,
      artifactsUri: 's3://ps-artifacts/',
      trainingJobName: `ps-train-${EXECUTION}`,
      modelName: `ps-model-${EXECUTION}`,
      transformJobName: `ps-score-${EXECUTION}`,
      endpointConfigName: `ps-epc-${EXECUTION}`,
    });
  });

  it('accepts the EventBridge S3 Object Created event', async () => {
    serveObject(rawCsv([rawRow()]));
    const event = {
      version: '0',
      id: 'e1',
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '123456789012',
      time: '2026-01-01T00:00:00Z',
      region: 'eu-west-1',
      resources: ['arn:aws:s3:::ps-raw'],
      detail: { version: '0', bucket: { name: 'ps-raw' }, object: { key: KEY, size: 10, etag: 'etag-1' }, reason: 'PutObject' },
    };

    const run = await handler({ input: event, executionName: EXECUTION });

    expect([run.bucket, run.key, run.etag]).toEqual(['ps-raw', KEY, 'etag-1']);
  });

  it('decodes a URL-encoded event key when the literal key does not exist', async () => {
    s3.on(HeadObjectCommand, { Key: 'raw/week+47.csv' }).rejects(new S3ServiceException({ name: 'NotFound', $fault: 'client', $metadata: { httpStatusCode: 404 } }));
    serveObject(rawCsv([rawRow()]), 'raw/week 47.csv');

    const run = await handler({ input: { bucket: 'ps-raw', key: 'raw/week+47.csv' }, executionName: EXECUTION });

    expect(run.key).toBe('raw/week 47.csv');
  });

  it('reads only the head of the object with a Range request', async () => {
    serveObject(rawCsv([rawRow()]));

    await handler({ input: { bucket: 'ps-raw', key: KEY }, executionName: EXECUTION });

    const size = rawCsv([rawRow()]).length;
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'ps-raw', Key: KEY, Range: `bytes=0-${size - 1}` });
  });

  it('decompresses a .csv.gz file', async () => {
    serveObject(gzipSync(rawCsv([rawRow()])), 'raw/week-47.csv.gz');

    const run = await handler({ input: { bucket: 'ps-raw', key: 'raw/week-47.csv.gz' }, executionName: EXECUTION });

    expect(run.key).toBe('raw/week-47.csv.gz');
  });

  it('handles RFC 4180 quoted fields with commas, quotes and CRLF line ends', async () => {
    const quoted = rawRow({ PROD_CODE: '"PRD, ""special"""', BASKET_TYPE: '"Full Shop"' });
    serveObject([RAW_HEADER, quoted, rawRow()].join('\r\n') + '\r\n');

    const run = await handler({ input: { bucket: 'ps-raw', key: KEY }, executionName: EXECUTION });

    expect(run.runId).toBe(EXECUTION);
  });

  it('accepts XX as the unknown code of every coded column', async () => {
    serveObject(rawCsv([rawRow({ BASKET_SIZE: 'XX', BASKET_TYPE: 'XX', BASKET_DOMINANT_MISSION: 'XX', STORE_FORMAT: 'XX', STORE_REGION: 'XX', BASKET_PRICE_SENSITIVITY: 'XX', CUST_CODE: '' })]));

    const run = await handler({ input: { bucket: 'ps-raw', key: KEY }, executionName: EXECUTION });

    expect(run.key).toBe(KEY);
  });
});

describe('validate-input: malformed execution input', () => {
  it('rejects an input that is neither console input nor an S3 event', async () => {
    await expect(handler({ input: { Bucket: 'ps-raw', Key: KEY }, executionName: EXECUTION })).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
      message: expect.stringContaining('has unexpected field(s) "Bucket", "Key"'),
    });
    expect(s3).not.toHaveReceivedAnyCommand();
  });

  it('rejects an EventBridge event of another type, naming the detail-type', async () => {
    const event = { source: 'aws.s3', 'detail-type': 'Object Deleted', detail: { bucket: { name: 'ps-raw' }, object: { key: KEY } } };

    await expect(handler({ input: event, executionName: EXECUTION })).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
      message: expect.stringContaining('detail-type = "Object Deleted" (expected "Object Created")'),
    });
  });

  it('rejects a request without an execution name', async () => {
    await expect(handler({ input: { bucket: 'ps-raw', key: KEY } })).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
  });

  it('rejects a bucket other than the raw bucket', async () => {
    await expect(handler({ input: { bucket: 'ps-gold', key: KEY }, executionName: EXECUTION })).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
      message: 'Bucket "ps-gold" is not the raw bucket: expected "ps-raw"',
    });
  });

  it('rejects a key outside raw/', async () => {
    await expect(handler({ input: { bucket: 'ps-raw', key: 'gold/x.csv' }, executionName: EXECUTION })).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
      message: expect.stringContaining('Key "gold/x.csv" is outside the raw zone: expected a key under raw/'),
    });
  });

  it('rejects a key that is not .csv or .csv.gz', async () => {
    await expect(handler({ input: { bucket: 'ps-raw', key: 'raw/week.parquet' }, executionName: EXECUTION })).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
      message: 'Key "raw/week.parquet" is not a CSV file: expected a key ending in .csv or .csv.gz',
    });
  });
});

describe('validate-input: missing object', () => {
  it('fails with RawObjectNotFound when HeadObject answers NotFound', async () => {
    s3.on(HeadObjectCommand).rejects(new S3ServiceException({ name: 'NotFound', $fault: 'client', $metadata: { httpStatusCode: 404 } }));

    await expect(handler({ input: { bucket: 'ps-raw', key: KEY }, executionName: EXECUTION })).rejects.toMatchObject({
      name: 'RawObjectNotFound',
      message: `The raw object s3://ps-raw/${KEY} does not exist: upload the file first or check the bucket and key`,
    });
    expect(s3).not.toHaveReceivedCommand(CopyObjectCommand);
  });
});

describe('validate-input: execution name', () => {
  it("refuses a name that could break out of the data-quality query's string literal, before reading anything", async () => {
    await expect(handler({ input: { bucket: 'ps-raw', key: KEY }, executionName: "week-47' OR '1'='1" })).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
      message: expect.stringContaining('expected 1-80 characters of A-Z a-z 0-9 . _ -'),
    });
    expect(s3).not.toHaveReceivedCommand(HeadObjectCommand);
  });
});

describe('validate-input: throttled by S3', () => {
  it('fails with Throttled (which the workflow retries) when S3 keeps answering SlowDown', async () => {
    s3.on(HeadObjectCommand).rejects(new S3ServiceException({ name: 'SlowDown', message: 'Please reduce your request rate.', $fault: 'server', $metadata: { httpStatusCode: 503 } }));

    await expect(handler({ input: { bucket: 'ps-raw', key: KEY }, executionName: EXECUTION })).rejects.toMatchObject({
      name: 'Throttled',
      message: 'SlowDown: Please reduce your request rate.',
    });
    expect(s3).not.toHaveReceivedCommand(CopyObjectCommand);
  });
});

describe('validate-input: bad files (issue 4) are rejected, quarantined and left untouched', () => {
  it('empty file', async () => {
    const error = await rejection('');

    expect(error).toMatchObject({ name: 'InvalidRawFile', message: expect.stringContaining('the file is empty (0 bytes)') });
    expectQuarantinedAndOriginalUntouched();
  });

  it('file larger than MAX_OBJECT_BYTES', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 2_000_000, ETag: '"etag-1"' });

    const error = await handler({ input: { bucket: 'ps-raw', key: KEY }, executionName: EXECUTION }).catch((caught: Error) => caught);

    expect(error).toMatchObject({
      name: 'InvalidRawFile',
      message: `Rejected s3://ps-raw/${KEY}: the file is 2000000 bytes, larger than the limit MAX_OBJECT_BYTES = 1000000: split it into smaller files`,
    });
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
    expectQuarantinedAndOriginalUntouched();
  });

  it('header only', async () => {
    const error = await rejection(`${RAW_HEADER}\n`);

    expect(error).toMatchObject({ name: 'InvalidRawFile', message: expect.stringContaining('the file has a header but no data rows') });
    expectQuarantinedAndOriginalUntouched();
  });

  it('missing column', async () => {
    const header = RAW_HEADER.replace(',STORE_REGION', '');
    const row = rawRow().split(',').slice(0, 21).join(',');

    const error = await rejection(rawCsv([row], header));

    expect(error).toMatchObject({ name: 'InvalidRawFile', message: expect.stringContaining('missing columns: STORE_REGION') });
    expectQuarantinedAndOriginalUntouched();
  });

  it('renamed column', async () => {
    const error = await rejection(rawCsv([rawRow()], RAW_HEADER.replace('SPEND', 'AMOUNT')));

    expect(error).toMatchObject({
      name: 'InvalidRawFile',
      message: expect.stringContaining('renamed columns: column 6 is "AMOUNT" but should be "SPEND"'),
    });
    expectQuarantinedAndOriginalUntouched();
  });

  it('unexpected extra column', async () => {
    const error = await rejection(rawCsv([`${rawRow()},1`], `${RAW_HEADER},EXTRA`));

    expect(error).toMatchObject({ name: 'InvalidRawFile', message: expect.stringContaining('unexpected columns: "EXTRA" (column 23)') });
  });

  it('not comma-separated', async () => {
    const error = await rejection(rawCsv([rawRow().replaceAll(',', ';')], RAW_HEADER.replaceAll(',', ';')));

    expect(error).toMatchObject({
      name: 'InvalidRawFile',
      message: expect.stringContaining('the file is not comma-separated: the header has no commas but splits on ";" into 22 fields'),
    });
    expectQuarantinedAndOriginalUntouched();
  });

  it('ragged row', async () => {
    const error = await rejection(rawCsv([rawRow(), `${rawRow()},extra`]));

    expect(error).toMatchObject({
      name: 'InvalidRawFile',
      message: `Rejected s3://ps-raw/${KEY}: row 2 (line 3) has 23 fields: expected 22 comma-separated fields (quote values that contain commas)`,
    });
    expectQuarantinedAndOriginalUntouched();
  });

  it('binary content', async () => {
    const error = await rejection(new Uint8Array([0x50, 0x41, 0x52, 0x31, 0x00, 0x15, 0x04]));

    expect(error).toMatchObject({ name: 'InvalidRawFile', message: expect.stringContaining('the file is binary (NUL byte at offset 4)') });
    expectQuarantinedAndOriginalUntouched();
  });

  it('invalid UTF-8', async () => {
    const error = await rejection(new Uint8Array([...new TextEncoder().encode(`${RAW_HEADER}\n`), 0xff, 0xfe, 0x41, 0x0a]));

    expect(error).toMatchObject({ name: 'InvalidRawFile', message: expect.stringContaining('the file is not valid UTF-8 text') });
  });

  it('JSON', async () => {
    const error = await rejection('[{"SHOP_WEEK": 200607, "SPEND": 1.2}]\n');

    expect(error).toMatchObject({ name: 'InvalidRawFile', message: expect.stringContaining('the file looks like JSON (starts with "[")') });
    expectQuarantinedAndOriginalUntouched();
  });

  it('non-numeric SPEND', async () => {
    const error = await rejection(rawCsv([rawRow(), rawRow(), rawRow({ SPEND: 'abc' })]));

    expect(error).toMatchObject({
      name: 'InvalidRawFile',
      message: `Rejected s3://ps-raw/${KEY}: row 3 (line 4): SPEND = "abc" is not valid: expected a decimal number of at most 20 characters, 0 or more, like 1.23 (no sign, exponent, NaN or Infinity)`,
    });
    expectQuarantinedAndOriginalUntouched();
  });

  it('impossible date', async () => {
    const error = await rejection(rawCsv([rawRow({ SHOP_DATE: '20060231' })]));

    expect(error).toMatchObject({
      name: 'InvalidRawFile',
      message: expect.stringContaining('row 1 (line 2): SHOP_DATE = "20060231" is not valid: expected a real calendar date YYYYMMDD'),
    });
    expectQuarantinedAndOriginalUntouched();
  });

  it('unknown code other than XX', async () => {
    const error = await rejection(rawCsv([rawRow({ STORE_FORMAT: 'XXL' })]));

    expect(error).toMatchObject({
      name: 'InvalidRawFile',
      message: expect.stringContaining('STORE_FORMAT = "XXL" is not valid: expected one of "SS", "MS", "LS", "XLS", "XX"'),
    });
  });

  it('quoted field that never closes', async () => {
    const error = await rejection(rawCsv([rawRow({ PROD_CODE: '"PRD0900001' })]));

    expect(error).toMatchObject({ name: 'InvalidRawFile', message: expect.stringContaining('the quoted field opened on line 2 is never closed') });
  });

  it('.csv.gz whose content is not gzip', async () => {
    const error = await rejection(rawCsv([rawRow()]), 'raw/week-47.csv.gz');

    expect(error).toMatchObject({ name: 'InvalidRawFile', message: expect.stringContaining('the key ends in .gz but the content is not gzip data') });
    expectQuarantinedAndOriginalUntouched('raw/week-47.csv.gz');
  });

  it('.csv.gz cut short after the sampled head (a misleading field count before)', async () => {
    const whole = gzipSync(rawCsv(Array.from({ length: 400 }, (_, index) => rawRow({ BASKET_ID: String(994100000000 + index) }))));
    const error = await rejection(whole.subarray(0, whole.length - 40), 'raw/week-47.csv.gz');

    expect(error).toMatchObject({
      name: 'InvalidRawFile',
      message: expect.stringMatching(/the gzip data ends early \(after \d+ compressed bytes, \d+ inflated\): the upload was cut short/),
    });
    expect(error.message).not.toContain('fields');
    expectQuarantinedAndOriginalUntouched('raw/week-47.csv.gz');
  });

  it('.csv.gz whose CRC-32 trailer does not match its data', async () => {
    const damaged = Buffer.from(gzipSync(rawCsv([rawRow(), rawRow()])));
    damaged[damaged.length - 6]! ^= 0xff;
    const error = await rejection(damaged, 'raw/week-47.csv.gz');

    expect(error).toMatchObject({ name: 'InvalidRawFile', message: expect.stringContaining('the gzip data is corrupt after') });
    expect(error.message).toContain('incorrect data check');
  });

  it('writes the error name, message, execution name and time into reason.json', async () => {
    await rejection(`${RAW_HEADER}\n`);

    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    const reason = JSON.parse(String(put.Body));
    expect(reason).toMatchObject({
      error: 'InvalidRawFile',
      message: expect.stringContaining('no data rows'),
      executionName: EXECUTION,
      original: { bucket: 'ps-raw', key: KEY, etag: 'etag-1' },
      copy: { key: `quarantine/${EXECUTION}/${KEY}` },
    });
    expect(Number.isNaN(Date.parse(reason.time))).toBe(false);
  });

  it('copies only the object that was checked (CopySourceIfMatch on its ETag)', async () => {
    await rejection(`${RAW_HEADER}\n`);

    expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, { CopySourceIfMatch: '"etag-1"' });
  });

  it('still reports the rejection when the quarantine copy fails', async () => {
    s3.on(CopyObjectCommand).rejects(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } }));

    const error = await rejection(`${RAW_HEADER}\n`);

    expect(error).toMatchObject({ name: 'InvalidRawFile' });
    expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
  });
});
