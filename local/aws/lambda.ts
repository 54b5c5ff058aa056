/**
 * Local Lambda: Invoke runs the task's `handler` from `tasks/<POWERTOOLS_SERVICE_NAME>.ts`
 * in this process, with the function's environment from the template set in `process.env` for
 * the duration of the call. Results and errors come back in Invoke's shape, including
 * `FunctionError: 'Unhandled'` with the Node runtime's `{errorType, errorMessage, trace}` payload.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { AwsServiceError, unsupportedAction, type AwsServiceEmulator } from './emulator.js';
import { bundledTask } from './task-bundle.js';
import { DEFAULT_TASKS_DIR } from '../../infra/project-paths.js';

export interface LocalFunction {
  /** Physical function name. */
  name: string;
  arn: string;
  /** POWERTOOLS_SERVICE_NAME: the file `tasks/<serviceName>.ts`. */
  serviceName: string;
  /** Environment.Variables from the template, resolved to local names. */
  environment: Record<string, string>;
  /** Function timeout in seconds. @default 3 (Lambda's default) */
  timeoutSeconds?: number;
  memoryMb?: number;
}

export type LambdaHandler = (event: unknown, context: Record<string, unknown>) => unknown;

export interface LambdaEmulatorOptions {
  /** Where `<serviceName>.ts` handler files live. @default the repository's `tasks/` */
  tasksDir?: string;
  /** Loads a handler; tests pass their own. @default dynamic import of `<tasksDir>/<serviceName>.ts` */
  loadHandler?: (fn: LocalFunction) => Promise<LambdaHandler>;
}

/** Set during every local invocation, on top of the function's own environment. */
export const LOCAL_LAMBDA_ENV: Record<string, string> = {
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
  // Without it the X-Ray SDK (loaded by the Powertools tracer) installs a process-wide async hook
  // at import, taxing every promise of the whole local run; nothing is traced locally anyway.
  AWS_XRAY_MANUAL_MODE: 'true',
  AWS_REGION: 'us-east-1',
};

/** What the Node.js runtime reports for a thrown value. */
export function runtimeErrorPayload(error: unknown): { errorType: string; errorMessage: string; trace: string[] } {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

class RuntimeError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export class LambdaEmulator implements AwsServiceEmulator {
  readonly service = 'lambda';
  readonly actions = ['Invoke'] as const;
  private readonly functions = new Map<string, LocalFunction>();
  private readonly handlers = new Map<string, Promise<LambdaHandler>>();
  private readonly tasksDir: string;
  private readonly loadHandler: (fn: LocalFunction) => Promise<LambdaHandler>;
  // process.env is global: invocations with different environments take turns.
  private activeEnvKey: string | undefined;
  private active = 0;
  private waiters: Array<() => void> = [];

  constructor(options: LambdaEmulatorOptions = {}) {
    this.tasksDir = options.tasksDir ?? DEFAULT_TASKS_DIR;
    this.loadHandler = options.loadHandler ?? ((fn) => this.importHandler(fn));
  }

  registerFunction(fn: LocalFunction): void {
    this.functions.set(fn.name, fn);
  }

  listFunctions(): LocalFunction[] {
    return [...this.functions.values()];
  }

  /** Accepts a name, `name:qualifier`, a partial ARN (`account:function:name`) or a full ARN. */
  resolveFunction(reference: string): LocalFunction {
    const match = /^(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:)?(?:\d{12}:function:)?([a-zA-Z0-9_-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/.exec(reference);
    const fn = match ? this.functions.get(match[1]!) : undefined;
    if (!fn) {
      const known = [...this.functions.keys()].sort().join(', ') || 'none';
      throw new AwsServiceError('ResourceNotFoundException', `Function not found: ${reference}. Local functions: ${known}`, { httpStatusCode: 404 });
    }
    return fn;
  }

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (action !== 'Invoke') throw unsupportedAction(this.service, action, this.actions);
    const fn = this.resolveFunction(String(input.FunctionName ?? ''));
    const requestBytes = payloadBytes(input.Payload);
    if ((input.InvocationType ?? 'RequestResponse') === 'RequestResponse' && requestBytes > MAX_SYNC_PAYLOAD_BYTES) {
      throw new AwsServiceError('RequestEntityTooLargeException', `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`, { httpStatusCode: 413 });
    }
    const event = parsePayload(input.Payload);
    const invocationType = (input.InvocationType as string | undefined) ?? 'RequestResponse';
    if (invocationType === 'DryRun') return { StatusCode: 204 };
    if (invocationType === 'Event') {
      void this.invoke(fn, event).catch(() => undefined);
      return { StatusCode: 202, Payload: new Uint8Array() };
    }
    if (invocationType !== 'RequestResponse') {
      throw new AwsServiceError('InvalidParameterValueException', `InvocationType must be RequestResponse, Event or DryRun, got ${JSON.stringify(invocationType)}`);
    }
    let outcome = await this.invoke(fn, event);
    // A response over the limit reaches the caller as a function error (Lambda Developer Guide,
    // quotas: 6 MB request and response, synchronous invocation).
    if (Buffer.byteLength(outcome.payload) > MAX_SYNC_RESPONSE_BYTES) {
      outcome = {
        payload: JSON.stringify({ errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_SYNC_RESPONSE_BYTES} bytes).`, errorType: 'Function.ResponseSizeTooLarge' }),
        failed: true,
      };
    }
    const out: Record<string, unknown> = {
      StatusCode: 200,
      ExecutedVersion: '$LATEST',
      Payload: new TextEncoder().encode(outcome.payload),
    };
    if (outcome.failed) out.FunctionError = 'Unhandled';
    return out;
  }

  /** Runs the handler; the payload is the JSON text Lambda would return. */
  async invoke(fn: LocalFunction, event: unknown): Promise<{ payload: string; failed: boolean }> {
    const environment = { ...fn.environment, ...LOCAL_LAMBDA_ENV, AWS_LAMBDA_FUNCTION_NAME: fn.name };
    const envKey = JSON.stringify(environment);
    await this.enter(envKey);
    const saved = new Map<string, string | undefined>();
    for (const [name, value] of Object.entries(environment)) {
      saved.set(name, process.env[name]);
      process.env[name] = value;
    }
    try {
      const handler = await this.handlerOf(fn);
      const timeoutMs = (fn.timeoutSeconds ?? 3) * 1000;
      const started = Date.now();
      const context = lambdaContext(fn, started, timeoutMs);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new RuntimeError('Sandbox.Timedout', `RequestId: ${String(context.awsRequestId)} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`)),
          timeoutMs,
        );
      });
      try {
        const result = await Promise.race([Promise.resolve().then(() => handler(event, context)), timeout]);
        return { payload: JSON.stringify(result ?? null), failed: false };
      } finally {
        clearTimeout(timer);
      }
    } catch (error) {
      return { payload: JSON.stringify(runtimeErrorPayload(error)), failed: true };
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      this.leave();
    }
  }

  private handlerOf(fn: LocalFunction): Promise<LambdaHandler> {
    let handler = this.handlers.get(fn.serviceName);
    if (!handler) {
      handler = this.loadHandler(fn);
      this.handlers.set(fn.serviceName, handler);
      // A failed import is retried next time (the file may be fixed meanwhile).
      handler.catch(() => this.handlers.delete(fn.serviceName));
    }
    return handler;
  }

  private async importHandler(fn: LocalFunction): Promise<LambdaHandler> {
    const path = join(this.tasksDir, `${fn.serviceName}.ts`);
    let module: Record<string, unknown>;
    try {
      const bundled = resolve(this.tasksDir) === DEFAULT_TASKS_DIR ? await bundledTask(fn.serviceName) : undefined;
      // A bundle that cannot load (its folder removed by a newer process's cleanup) leaves the source.
      const fromBundle = bundled ? await bundled().catch(() => undefined) : undefined;
      module = (fromBundle ?? (await import(pathToFileURL(path).href))) as Record<string, unknown>;
    } catch (error) {
      throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot load ${path} for function ${fn.name}: ${(error as Error).message}`);
    }
    if (typeof module.handler !== 'function') {
      throw new RuntimeError('Runtime.HandlerNotFound', `${fn.serviceName}.handler is undefined or not exported (${path})`);
    }
    return module.handler as LambdaHandler;
  }

  private async enter(envKey: string): Promise<void> {
    while (this.active > 0 && this.activeEnvKey !== envKey) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.activeEnvKey = envKey;
    this.active += 1;
  }

  private leave(): void {
    this.active -= 1;
    if (this.active === 0) {
      this.activeEnvKey = undefined;
      const waiting = this.waiters;
      this.waiters = [];
      for (const wake of waiting) wake();
    }
  }
}

function parsePayload(payload: unknown): unknown {
  if (payload === undefined || payload === null) return {};
  const text = typeof payload === 'string' ? payload : payload instanceof Uint8Array ? new TextDecoder().decode(payload) : undefined;
  if (text === undefined) return payload; // already an object (Step Functions passes JSON values)
  if (text.length === 0) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AwsServiceError('InvalidRequestContentException', `Could not parse request body into json: ${text.slice(0, 80)}`);
  }
}

function lambdaContext(fn: LocalFunction, started: number, timeoutMs: number): Record<string, unknown> {
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: fn.arn,
    memoryLimitInMB: String(fn.memoryMb ?? 128),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Synchronous invocation request payload limit: 6 MB (6,291,456 bytes). */
export const MAX_SYNC_PAYLOAD_BYTES = 6_291_456;
/** The response limit AWS states in its ResponseSizeTooLarge error (6 MB plus 100 bytes of framing). */
export const MAX_SYNC_RESPONSE_BYTES = 6_291_556;

function payloadBytes(payload: unknown): number {
  if (payload === undefined || payload === null) return 0;
  if (typeof payload === 'string') return Buffer.byteLength(payload);
  if (payload instanceof Uint8Array) return payload.byteLength;
  return Buffer.byteLength(JSON.stringify(payload));
}

