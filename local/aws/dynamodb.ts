/** Local DynamoDB lives in ./dynamodb/; this path stays for its importers. */
export * from './dynamodb/index.js';
