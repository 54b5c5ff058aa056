/** S3's ETag of a single-part upload: the MD5 of the bytes, quoted. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export function md5ETag(bytes: Uint8Array): string {
  return `"${createHash('md5').update(bytes).digest('hex')}"`;
}

/** The ETag of a file of any size without holding it in memory. */
export async function md5ETagOfFile(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `"${hash.digest('hex')}"`;
}
