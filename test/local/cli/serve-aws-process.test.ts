/**
 * The serving image's command as a real process: `pricesense serve --aws` with the SDK pointed at
 * a stand-in AWS endpoint (AWS_ENDPOINT_URL) that denies DescribeModelPackage as IAM does. The
 * signed request the server sends and the AWS-shaped denial it prints are checked end to end.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeStumpModel } from '../serving/serving-fixtures.js';

const CLI = join(process.cwd(), 'bin', 'pricesense.mjs');
const PACKAGE = 'arn:aws:sagemaker:us-east-1:111122223333:model-package/pricesense-basket-price-sensitivity/3';
const DENIAL = 'User: arn:aws:sts::111122223333:assumed-role/pricesense-serving/pod is not authorized to perform: sagemaker:DescribeModelPackage on resource: ' + PACKAGE;
const root = mkdtempSync(join(tmpdir(), 'serve-aws-process-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('pricesense serve --aws (process)', () => {
  it('exits 1 with the AWS denial of DescribeModelPackage, no stack, after one signed request', async () => {
    const received: Array<{ target: string | undefined; authorization: string; body: string }> = [];
    const aws = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ target: req.headers['x-amz-target'] as string | undefined, authorization: String(req.headers.authorization), body });
        const text = JSON.stringify({ __type: 'AccessDeniedException', Message: DENIAL });
        res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': 'req-1', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => aws.listen(0, '127.0.0.1', resolve));
    const modelDir = dirname(writeStumpModel([[2, -1], [0, 0], [-1, 2]], root));

    const child = spawn(process.execPath, [CLI, 'serve', '--aws', '--port', '0'], {
      env: {
        PATH: process.env.PATH,
        AWS_ENDPOINT_URL: `http://127.0.0.1:${(aws.address() as AddressInfo).port}`,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'example-secret',
        AWS_REGION: 'us-east-1',
        PRICESENSE_MODEL_DIR: modelDir,
        PRICESENSE_MODEL_PACKAGE_ARN: PACKAGE,
        PRICESENSE_GOLD_BUCKET: 'ps-gold',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise((resolve) => aws.close(resolve));

    expect(code).toBe(1);
    expect(stderr).toContain(`pricesense serve: DescribeModelPackage ${PACKAGE} failed: AccessDeniedException: ${DENIAL}`);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(received).toHaveLength(1);
    expect(received[0]!.target).toBe('SageMaker.DescribeModelPackage');
    expect(JSON.parse(received[0]!.body)).toEqual({ ModelPackageName: PACKAGE });
    expect(received[0]!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/sagemaker\/aws4_request,/);
  });
});
