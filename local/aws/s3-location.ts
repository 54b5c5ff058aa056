/** S3 URIs and where the local S3 emulator keeps each object on disk. */
import { join, resolve, sep } from 'node:path';

export interface S3Location {
  bucket: string;
  key: string;
}

export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new Error(`Expected an S3 URI like s3://bucket/key, got ${JSON.stringify(uri)}`);
  return { bucket: match[1]!, key: match[2]! };
}

export function s3Uri(bucket: string, key = ''): string {
  return `s3://${bucket}/${key}`;
}

/** Objects live at `<stateDir>/s3/<bucket>/<key>`; keys never escape their bucket folder. */
export function localObjectPath(stateDir: string, bucket: string, key = ''): string {
  const bucketDir = resolve(stateDir, 's3', bucket);
  const path = resolve(join(bucketDir, key));
  if (path !== bucketDir && !path.startsWith(bucketDir + sep)) {
    throw new Error(`S3 key ${JSON.stringify(key)} escapes bucket ${bucket}`);
  }
  return path;
}
