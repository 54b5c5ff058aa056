/**
 * What a local Glue job run executes: the two pricesense jobs map to the DuckDB runners of
 * local/etl, their S3 URI arguments to local paths of the S3 emulator. Arguments are checked as
 * the scripts' getResolvedOptions would, with the same message.
 */
import { basename } from 'node:path';
import { GlueJob, GlueJobArgument } from '../../../workflow/resource-names.js';
import { runRawToSilver } from '../../etl/raw-to-silver.js';
import { runSilverToGold } from '../../etl/silver-to-gold.js';
import { localObjectPath, parseS3Uri } from '../s3-location.js';

/** `signal`: aborted by BatchStopJobRun; the runner then stops its query and rejects. */
export type LocalJobRunner = (args: Record<string, string>, stateDir: string, signal?: AbortSignal) => Promise<unknown>;

function required(args: Record<string, string>, names: string[]): void {
  const missing = names.filter((name) => args[name] === undefined || args[name] === '');
  if (missing.length > 0) {
    throw new Error(`GlueArgumentError: the following arguments are required: ${missing.join(', ')}`);
  }
}

function localPath(stateDir: string, argument: string, uri: string): string {
  let location;
  try {
    location = parseS3Uri(uri);
  } catch {
    throw new Error(`GlueArgumentError: ${argument} must be an S3 URI like s3://bucket/prefix/, got ${JSON.stringify(uri)}`);
  }
  return localObjectPath(stateDir, location.bucket, location.key);
}

const rawToSilver: LocalJobRunner = (args, stateDir, signal) => {
  required(args, [GlueJobArgument.RunId, GlueJobArgument.RawUri, GlueJobArgument.SilverUri]);
  return runRawToSilver({
    runId: args[GlueJobArgument.RunId]!,
    rawPath: localPath(stateDir, GlueJobArgument.RawUri, args[GlueJobArgument.RawUri]!),
    silverDir: localPath(stateDir, GlueJobArgument.SilverUri, args[GlueJobArgument.SilverUri]!),
    ...(signal ? { signal } : {}),
  });
};

const silverToGold: LocalJobRunner = (args, stateDir, signal) => {
  required(args, [GlueJobArgument.RunId, GlueJobArgument.SilverUri, GlueJobArgument.GoldUri]);
  return runSilverToGold({
    runId: args[GlueJobArgument.RunId]!,
    silverDir: localPath(stateDir, GlueJobArgument.SilverUri, args[GlueJobArgument.SilverUri]!),
    goldDir: localPath(stateDir, GlueJobArgument.GoldUri, args[GlueJobArgument.GoldUri]!),
    ...(signal ? { signal } : {}),
  });
};

const BY_JOB_NAME: Record<string, LocalJobRunner> = {
  [GlueJob.RawToSilver]: rawToSilver,
  [GlueJob.SilverToGold]: silverToGold,
};

const BY_SCRIPT: Record<string, LocalJobRunner> = {
  'raw_to_silver.py': rawToSilver,
  'silver_to_gold.py': silverToGold,
};

/** The runner of a job: by its name, else by its script's file name. */
export function localRunnerFor(jobName: string, scriptLocation: string | undefined): LocalJobRunner | undefined {
  return BY_JOB_NAME[jobName] ?? (scriptLocation ? BY_SCRIPT[basename(scriptLocation)] : undefined);
}
