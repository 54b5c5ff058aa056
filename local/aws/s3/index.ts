/** Local S3: the API emulator over a file-system object store. */
export { S3Emulator } from './s3-emulator.js';
export { S3ObjectStore, type PutObjectOptions, type S3ObjectInfo } from './object-store.js';
export { parseRange } from './range.js';
