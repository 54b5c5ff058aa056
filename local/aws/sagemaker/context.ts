/** What every SageMaker resource emulator shares: where state lives, the account, the clock. */
import { join } from 'node:path';

export interface SageMakerEmulatorOptions {
  /** The state directory (records go to `<stateDir>/sagemaker/`, S3 objects to `<stateDir>/s3/`). */
  stateDir: string;
  /** @default 'us-east-1' */
  region?: string;
  /** @default '000000000000' */
  accountId?: string;
  /** @default the system clock */
  clock?: { now(): Date };
}

export interface SageMakerContext {
  stateDir: string;
  region: string;
  accountId: string;
  clock: { now(): Date };
  /** Root of this emulator's own files: `<stateDir>/sagemaker`. */
  root: string;
}

export function createContext(options: SageMakerEmulatorOptions): SageMakerContext {
  return {
    stateDir: options.stateDir,
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '000000000000',
    clock: options.clock ?? { now: () => new Date() },
    root: join(options.stateDir, 'sagemaker'),
  };
}

/** SageMaker lower-cases resource names in ARNs (`training-job/my-job`). */
export function sageMakerArn(context: SageMakerContext, resourceType: string, name: string): string {
  return `arn:aws:sagemaker:${context.region}:${context.accountId}:${resourceType}/${name.toLowerCase()}`;
}

export function nowIso(context: SageMakerContext): string {
  return context.clock.now().toISOString();
}

/** Records keep ISO strings; responses carry Date objects like the SDK's deserializer. */
export function toDate(iso: string | undefined): Date | undefined {
  return iso === undefined ? undefined : new Date(iso);
}
