/**
 * AWS SDK clients of the task Lambdas, created once per module (Powertools style) through
 * this factory. On AWS it only constructs the client. The local runtime registers a hook that
 * routes every command to the local emulators, so the handler code that runs locally is the
 * code that deploys.
 */

// Structural type of any AWS SDK v3 client: enough to attach middleware.
export interface SdkClientLike {
  middlewareStack: { add: (...args: never[]) => unknown };
}

type ClientHook = (client: SdkClientLike, serviceId: string) => void;

const hooks: ClientHook[] = [];
const created: Array<{ client: SdkClientLike; serviceId: string }> = [];

/** Used by `local/` only: applied to every client created before and after the call. */
export function registerClientHook(hook: ClientHook): void {
  hooks.push(hook);
  for (const { client, serviceId } of created) hook(client, serviceId);
}

/**
 * Creates a client. `serviceId` is the service's name in Step Functions SDK-integration ARNs
 * (`s3`, `sagemaker`, `sagemakerfeaturestoreruntime`, `sfn`, `athena`, `cloudwatch`, `dynamodb`, ...).
 */
export function createAwsClient<T extends SdkClientLike>(serviceId: string, construct: () => T): T {
  const client = construct();
  created.push({ client, serviceId });
  for (const hook of hooks) hook(client, serviceId);
  return client;
}
