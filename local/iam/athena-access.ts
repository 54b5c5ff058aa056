/**
 * Athena runs a query with the caller's credentials: it reads the Glue catalog (glue:GetDatabase,
 * glue:GetTable on catalog, database and table), lists and reads the tables' S3 data (with
 * kms:Decrypt for SSE-KMS objects) and writes the result to the workgroup's output location
 * (s3:GetBucketLocation, s3:ListBucket on the prefix, s3:PutObject, kms:GenerateDataKey for an
 * SSE_KMS result configuration). StartQueryExecution itself succeeds; the query then FAILS with
 * a StateChangeReason naming what was refused, and a `.sync` Task fails with States.TaskFailed.
 */
import type { LocalNames } from '../template/index.js';
import { s3List, s3Read, type CallEnvironment, type IamRequest } from './call-requests.js';

export interface AthenaAccess {
  requests: IamRequest[];
  /** StateChangeReason for a refused request. */
  reasonFor(request: IamRequest, message: string): string;
}

interface WorkGroupResults {
  outputLocation?: string;
  kmsKey?: string;
  enforced: boolean;
}

export function workGroupsOf(names: LocalNames): Map<string, WorkGroupResults> {
  const out = new Map<string, WorkGroupResults>();
  for (const resource of names.values()) {
    if (resource.type !== 'AWS::Athena::WorkGroup') continue;
    const configuration = (resource.properties.WorkGroupConfiguration ?? {}) as Record<string, any>;
    const results = (configuration.ResultConfiguration ?? {}) as Record<string, any>;
    out.set(resource.name, {
      ...(typeof results.OutputLocation === 'string' ? { outputLocation: results.OutputLocation } : {}),
      ...(results.EncryptionConfiguration?.EncryptionOption === 'SSE_KMS' && typeof results.EncryptionConfiguration.KmsKey === 'string'
        ? { kmsKey: results.EncryptionConfiguration.KmsKey }
        : {}),
      enforced: configuration.EnforceWorkGroupConfiguration === true,
    });
  }
  return out;
}

/** `db.table` references of a query (quoted or not), lower-cased as the catalog stores them. */
export function tableReferences(query: string, defaultDatabase: string | undefined, knownTables: Set<string>): Array<{ database: string; table: string }> {
  const found = new Map<string, { database: string; table: string }>();
  for (const match of query.matchAll(/\b(?:FROM|JOIN)\s+(?:"?([A-Za-z0-9_]+)"?\s*\.\s*)?"?([A-Za-z0-9_]+)"?/gi)) {
    const database = (match[1] ?? defaultDatabase ?? '').toLowerCase();
    const table = match[2]!.toLowerCase();
    if (!database || !knownTables.has(`${database}.${table}`)) continue; // CTE names and subquery aliases
    found.set(`${database}.${table}`, { database, table });
  }
  return [...found.values()];
}

/** The storage prefix a table's data lives under (its location, or the fixed part of a projection template). */
function tableLocation(names: LocalNames, database: string, table: string): string | undefined {
  for (const resource of names.values()) {
    if (resource.type !== 'AWS::Glue::Table' || String(resource.properties.DatabaseName) !== database) continue;
    const input = (resource.properties.TableInput ?? {}) as Record<string, any>;
    if (String(input.Name).toLowerCase() !== table) continue;
    const template = input.Parameters?.['storage.location.template'];
    const location = typeof template === 'string' ? template.split('${')[0] : input.StorageDescriptor?.Location;
    return typeof location === 'string' ? location : undefined;
  }
  return undefined;
}

function parse(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  return { bucket: match?.[1] ?? '', key: match?.[2] ?? '' };
}

export async function athenaAccess(
  names: LocalNames,
  env: CallEnvironment,
  input: Record<string, unknown>,
  queryExecutionId: string,
  firstObjectUnder: (bucket: string, prefix: string) => Promise<string | undefined>,
): Promise<AthenaAccess> {
  const arn = (resource: string) => `arn:${env.partition}:glue:${env.region}:${env.account}:${resource}`;
  const workGroup = workGroupsOf(names).get(String(input.WorkGroup ?? 'primary'));
  const requested = (input.ResultConfiguration ?? {}) as Record<string, any>;
  const outputLocation = workGroup?.enforced ? workGroup.outputLocation : (requested.OutputLocation ?? workGroup?.outputLocation);
  const kmsKey = workGroup?.enforced ? workGroup.kmsKey : (requested.EncryptionConfiguration?.KmsKey ?? workGroup?.kmsKey);
  const knownTables = new Set(
    [...names.values()].filter((r) => r.type === 'AWS::Glue::Table').map((r) => `${String(r.properties.DatabaseName)}.${String((r.properties.TableInput as { Name?: string } | undefined)?.Name).toLowerCase()}`),
  );
  const database = (input.QueryExecutionContext as { Database?: string } | undefined)?.Database;
  const requests: IamRequest[] = [];
  const reads = new Map<IamRequest, string>();
  for (const { database: db, table } of tableReferences(String(input.QueryString ?? ''), database, knownTables)) {
    requests.push({ action: 'glue:GetDatabase', resource: arn('catalog') }, { action: 'glue:GetDatabase', resource: arn(`database/${db}`) });
    for (const resource of [arn('catalog'), arn(`database/${db}`), arn(`table/${db}/${table}`)]) requests.push({ action: 'glue:GetTable', resource });
    const location = tableLocation(names, db, table);
    if (!location) continue;
    const { bucket, key } = parse(location);
    const list = s3List(env, bucket, key);
    reads.set(list, location);
    requests.push(list);
    const object = await firstObjectUnder(bucket, key);
    if (object) for (const request of s3Read(env, bucket, object)) (reads.set(request, location), requests.push(request));
  }
  const writes = new Set<IamRequest>();
  if (outputLocation) {
    const { bucket, key } = parse(outputLocation);
    const prefix = key.replace(/\/?$/, '/').replace(/^\/$/, '');
    const bucketArn = `arn:${env.partition}:s3:::${bucket}`;
    const output: IamRequest[] = [
      { action: 's3:GetBucketLocation', resource: bucketArn },
      s3List(env, bucket, prefix),
      { action: 's3:PutObject', resource: `${bucketArn}/${prefix}${queryExecutionId}.csv` },
      ...(kmsKey ? [{ action: 'kms:GenerateDataKey', resource: kmsKey, via: 'athena' }] : []),
    ];
    for (const request of output) (writes.add(request), requests.push(request));
  }
  const outputUrl = `${String(outputLocation ?? '').replace(/\/?$/, '/')}${queryExecutionId}.csv`;
  return {
    requests,
    reasonFor: (request, message) => {
      if (request.action.startsWith('glue:')) return `Insufficient permissions to execute the query. ${message}`;
      if (writes.has(request)) {
        return `Access denied when writing output to url: ${outputUrl} . Please ensure you are allowed to access the S3 bucket. If you are encrypting query results with KMS key, please ensure you are allowed to access your KMS key`;
      }
      return `Permission denied on S3 path: ${reads.get(request) ?? request.resource}. ${message}`;
    },
  };
}
