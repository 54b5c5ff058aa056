/**
 * Where `pricesense serve` listens by default. Apart from serve.ts so that `pricesense run` can
 * print the URL without loading the serving stack (its SDK clients cost start-up time).
 */

/** Where `pricesense serve` listens unless told otherwise (the SageMaker container port, this machine only). */
export const DEFAULT_SERVE_HOST = '127.0.0.1';
export const DEFAULT_SERVE_PORT = 8080;

/** The container-contract URL `pricesense serve` answers at. */
export function servedInvocationsUrl(port = DEFAULT_SERVE_PORT, host = DEFAULT_SERVE_HOST): string {
  return `http://${host}:${port}/invocations`;
}
