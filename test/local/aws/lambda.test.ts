import { describe, expect, it } from 'vitest';
import { LambdaEmulator, type LambdaHandler } from '../../../local/aws/lambda.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:validate-fn';

function emulatorWith(handler: LambdaHandler, timeoutSeconds = 3): LambdaEmulator {
  const emulator = new LambdaEmulator({ loadHandler: async () => handler });
  emulator.registerFunction({ name: 'validate-fn', arn: ARN, serviceName: 'validate-input', environment: { RAW_BUCKET: 'local-raw' }, timeoutSeconds });
  return emulator;
}

function payloadOf(out: Record<string, unknown>): unknown {
  return JSON.parse(new TextDecoder().decode(out.Payload as Uint8Array));
}

describe('LambdaEmulator Invoke', () => {
  it('returns the handler result as the JSON Payload with StatusCode 200', async () => {
    const out = await emulatorWith(async (event) => ({ got: event })).call('Invoke', { FunctionName: ARN, Payload: JSON.stringify({ a: 1 }) });
    expect(out.StatusCode).toBe(200);
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(payloadOf(out)).toEqual({ got: { a: 1 } });
  });

  it('sets the function environment and the local Powertools switches during the call', async () => {
    const out = await emulatorWith(async () => ({
      bucket: process.env.RAW_BUCKET,
      logLevel: process.env.POWERTOOLS_LOG_LEVEL,
      metrics: process.env.POWERTOOLS_METRICS_DISABLED,
      trace: process.env.POWERTOOLS_TRACE_ENABLED,
      region: process.env.AWS_REGION,
    })).call('Invoke', { FunctionName: 'validate-fn' });
    expect(payloadOf(out)).toEqual({ bucket: 'local-raw', logLevel: 'SILENT', metrics: 'true', trace: 'false', region: 'us-east-1' });
  });

  it('restores process.env after the call', async () => {
    delete process.env.RAW_BUCKET;
    await emulatorWith(async () => null).call('Invoke', { FunctionName: 'validate-fn' });
    expect(process.env.RAW_BUCKET).toBeUndefined();
  });

  it('reports a thrown error as FunctionError Unhandled with the runtime payload', async () => {
    class InvalidRawFile extends Error {
      constructor(message: string) {
        super(message);
        this.name = 'InvalidRawFile';
      }
    }
    const out = await emulatorWith(async () => {
      throw new InvalidRawFile('header has 21 columns, expected 22');
    }).call('Invoke', { FunctionName: ARN });
    expect(out.FunctionError).toBe('Unhandled');
    const payload = payloadOf(out) as { errorType: string; errorMessage: string; trace: string[] };
    expect(Object.keys(payload)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(payload).toMatchObject({ errorType: 'InvalidRawFile', errorMessage: 'header has 21 columns, expected 22' });
    expect(payload.trace[0]).toBe('InvalidRawFile: header has 21 columns, expected 22');
  });

  it('times out a handler that outlives the function timeout as Sandbox.Timedout', async () => {
    const out = await emulatorWith(() => new Promise(() => undefined), 0.05).call('Invoke', { FunctionName: ARN });
    expect(payloadOf(out)).toMatchObject({ errorType: 'Sandbox.Timedout', errorMessage: expect.stringContaining('Task timed out after 0.05 seconds') });
  });

  it('reports an unknown function as ResourceNotFoundException listing the known ones', async () => {
    await expect(emulatorWith(async () => null).call('Invoke', { FunctionName: 'nope' })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: expect.stringContaining('validate-fn'),
    });
  });

  it('reports a missing handler file as Runtime.ImportModuleError', async () => {
    const emulator = new LambdaEmulator({ tasksDir: '/nonexistent-tasks' });
    emulator.registerFunction({ name: 'f', arn: 'arn:aws:lambda:us-east-1:000000000000:function:f', serviceName: 'ghost', environment: {} });
    const out = await emulator.call('Invoke', { FunctionName: 'f' });
    expect(payloadOf(out)).toMatchObject({ errorType: 'Runtime.ImportModuleError' });
  });
});
