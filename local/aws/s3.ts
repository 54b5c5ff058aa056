/** Local S3 lives in ./s3/; this path stays for its importers. */
export * from './s3/index.js';
