/** Where the local S3 emulator keeps each object on disk (URI parsing lives in workflow/s3-uri.ts). */
import { join, resolve, sep } from 'node:path';

export { parseS3Uri, s3Uri, type S3Location } from '../../workflow/s3-uri.js';

/** Objects live at `<stateDir>/s3/<bucket>/<key>`; keys never escape their bucket folder. */
export function localObjectPath(stateDir: string, bucket: string, key = ''): string {
  const bucketDir = resolve(stateDir, 's3', bucket);
  const path = resolve(join(bucketDir, key));
  if (path !== bucketDir && !path.startsWith(bucketDir + sep)) {
    throw new Error(`S3 key ${JSON.stringify(key)} escapes bucket ${bucket}`);
  }
  return path;
}
