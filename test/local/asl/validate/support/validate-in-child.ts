/**
 * Validates the definition in argv[2] (a JSON file) in this fresh process and prints one JSON
 * line: the error message or null, and whether the schemas were compiled to decide it.
 */
import { readFileSync } from 'node:fs';
import { loadDefinition } from '../../../../../local/asl/execution.js';
import { schemaCompiled } from '../../../../../local/asl/validate/asl-schema-validator.js';

let error: string | null = null;
try {
  loadDefinition(readFileSync(process.argv[2]!, 'utf8'));
} catch (caught) {
  error = (caught as Error).message;
}
process.stdout.write(`${JSON.stringify({ error, compiled: schemaCompiled() })}\n`);
