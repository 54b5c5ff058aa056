/**
 * Serves AWS SDK v3 clients from the local emulators: each routed client's `send` answers every
 * command from the emulators before anything is serialized, signed or sent, so a task handler's
 * real `S3Client`/`SFNClient`/... works with no network and no credentials, and sees outputs and
 * errors in the SDK's own shapes. (Routing at `send` rather than as middleware skips the SDK's
 * per-command middleware-stack resolution, which profiling showed to be two thirds of the CPU of
 * a local feature ingestion.)
 */
import { randomUUID } from 'node:crypto';
import { registerClientHook, type SdkClientLike } from '../../tasks/core/shared/aws-clients.js';
import { AwsServiceError } from './emulator.js';
import type { LocalAws } from './registry.js';


/** `PutObjectCommand` → `PutObject`. */
export function actionOfCommand(commandName: string): string {
  return commandName.endsWith('Command') ? commandName.slice(0, -'Command'.length) : commandName;
}

interface SdkCommand {
  input?: Record<string, unknown>;
  constructor: { name: string };
}

type Send = (command: SdkCommand, ...rest: unknown[]) => Promise<unknown>;

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

/** Checks a routed call before it reaches the emulators (IAM enforcement, local/iam); throws the API's error. */
export type SdkCallAuthorizer = (serviceId: string, action: string, input: Record<string, unknown>) => Promise<void>;
let authorizer: SdkCallAuthorizer | undefined;

/** Installs (or with undefined removes) the check every routed call passes first. */
export function setSdkCallAuthorizer(check: SdkCallAuthorizer | undefined): void {
  authorizer = check;
}
const routed = new WeakSet<object>();

/** Routes one client's commands; `resolveTarget` picks the LocalAws per call (none: AWS as usual). */
export function routeClient(client: SdkClientLike, serviceId: string, resolveTarget: () => LocalAws | undefined): void {
  if (routed.has(client)) return;
  routed.add(client);
  const routable = client as unknown as { send: Send };
  const sendToAws = routable.send.bind(client);
  routable.send = async (command, ...rest) => {
    const localAws = resolveTarget();
    if (!localAws) return sendToAws(command, ...rest);
    const action = actionOfCommand(command.constructor.name);
    if (!action) throw new Error(`A ${serviceId} command reached the local AWS routing without a command name`);
    try {
      if (authorizer) await authorizer(serviceId, action, command.input ?? {});
      const output = await localAws.call(serviceId, action, command.input ?? {});
      return { ...output, $metadata: metadata(200) };
    } catch (error) {
      if (error instanceof AwsServiceError) throw toSdkError(error);
      throw error;
    }
  };
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
