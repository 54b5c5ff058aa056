/**
 * Serves AWS SDK v3 clients from the local emulators: an `initialize`-step middleware answers
 * every command before it is serialized, signed or sent, so a task handler's real
 * `S3Client`/`SFNClient`/... works with no network and no credentials, and sees outputs and
 * errors in the SDK's own shapes.
 */
import { randomUUID } from 'node:crypto';
import { registerClientHook, type SdkClientLike } from '../../tasks/core/aws-clients.js';
import { AwsServiceError } from './emulator.js';
import type { LocalAws } from './registry.js';

const MIDDLEWARE_NAME = 'pricesenseLocalAwsRouting';

/** `PutObjectCommand` → `PutObject`. */
export function actionOfCommand(commandName: string): string {
  return commandName.endsWith('Command') ? commandName.slice(0, -'Command'.length) : commandName;
}

interface HandlerContext {
  commandName?: string;
  clientName?: string;
}

type Next = (args: { input: Record<string, unknown> }) => Promise<{ output: unknown; response: unknown }>;
type InitializeMiddleware = (next: Next, context: HandlerContext) => (args: { input: Record<string, unknown> }) => Promise<{ output: unknown; response: unknown }>;

function metadata(httpStatusCode: number) {
  return { httpStatusCode, requestId: randomUUID(), attempts: 1, totalRetryDelay: 0 };
}

/**
 * An error as the SDK throws a modeled service error: `name` = error code, plus `$fault`,
 * `$metadata`, `Code` and `$retryable` for throttling, so `error.name === 'ThrottlingException'`
 * and Powertools/SDK retry classification behave as on AWS.
 */
export function toSdkError(error: AwsServiceError): Error {
  const sdkError = new Error(error.message) as Error & Record<string, unknown>;
  sdkError.name = error.name;
  sdkError.$fault = error.$fault;
  sdkError.$metadata = metadata(error.$metadata.httpStatusCode);
  sdkError.Code = error.name;
  if (/Throttl|TooManyRequests|SlowDown|RequestLimitExceeded/.test(error.name)) sdkError.$retryable = { throttling: true };
  return sdkError;
}

let target: LocalAws | undefined;
let hookRegistered = false;
const routed = new WeakSet<object>();

/** Attaches the routing middleware to one client; `resolveTarget` picks the LocalAws per call. */
export function routeClient(client: SdkClientLike, serviceId: string, resolveTarget: () => LocalAws | undefined): void {
  if (routed.has(client)) return;
  routed.add(client);
  const middleware: InitializeMiddleware = (next, context) => async (args) => {
    const localAws = resolveTarget();
    // No local target: behave as a plain client (AWS mode).
    if (!localAws) return next(args);
    const action = actionOfCommand(context.commandName ?? '');
    if (!action) throw new Error(`A ${serviceId} command reached the local AWS routing without a command name`);
    try {
      const output = await localAws.call(serviceId, action, args.input ?? {});
      return { output: { ...output, $metadata: metadata(200) }, response: {} };
    } catch (error) {
      if (error instanceof AwsServiceError) throw toSdkError(error);
      throw error;
    }
  };
  (client.middlewareStack.add as unknown as (m: InitializeMiddleware, o: object) => void)(middleware, {
    step: 'initialize',
    name: MIDDLEWARE_NAME,
    priority: 'high',
  });
}

/**
 * Routes every client made through `createAwsClient` (before and after this call) to
 * `localAws`. Calling it again switches the target; `uninstallSdkRouting` restores AWS mode.
 */
export function installSdkRouting(localAws: LocalAws): void {
  target = localAws;
  if (hookRegistered) return;
  hookRegistered = true;
  registerClientHook((client, serviceId) => routeClient(client, serviceId, () => target));
}

export function uninstallSdkRouting(): void {
  target = undefined;
}
