import { createRequire } from 'node:module';
import jsonata from 'jsonata';

/**
 * asl-validator's JSON schemas and path/ARN formats, compiled once. asl-validator's own entry point
 * rebuilds and recompiles its Ajv instance on every call (hundreds of milliseconds); the engine
 * validates every definition it runs, so the compiled validator is kept for the process.
 */

interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message?: string;
}
interface CompiledSchema {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}
interface AjvInstance {
  addFormat(name: string, check: (value: string) => boolean): void;
  getSchema(id: string): CompiledSchema | undefined;
}

const SCHEMA_FILES = [
  'common', 'paths', 'jsonata', 'choice', 'fail', 'parallel', 'pass', 'base-state-machine',
  'state-machine', 'state', 'succeed', 'task', 'wait', 'map', 'errors',
];
const STATE_MACHINE_SCHEMA = 'http://asl-validator.cloud/state-machine.json#';

let compiled: CompiledSchema | undefined;

function stateMachineSchema(): CompiledSchema {
  if (compiled) return compiled;
  // Resolve Ajv and friends exactly as asl-validator does, from its own location.
  const fromAslValidator = createRequire(createRequire(import.meta.url).resolve('asl-validator'));
  const ajvModule = fromAslValidator('ajv') as { default: new (options: object) => AjvInstance };
  const addFormats = fromAslValidator('ajv-formats') as { default: (ajv: AjvInstance) => void };
  const pathValidator = fromAslValidator('asl-path-validator') as { registerAll(ajv: AjvInstance): void };
  const arnFormat = fromAslValidator('./checks/formats.js') as { isArnFormatValid(value: string): boolean };
  const schemas = SCHEMA_FILES.map((name) => fromAslValidator(`./schemas/${name}.json`) as object);

  const ajv = new ajvModule.default({ schemas, allowUnionTypes: true });
  addFormats.default(ajv);
  ajv.addFormat('jsonata_string', compilesAsJsonata);
  ajv.addFormat('maybe_jsonata_string', (value) => {
    const trimmed = value.trim();
    return trimmed.startsWith('{%') || trimmed.endsWith('%}') ? compilesAsJsonata(trimmed) : true;
  });
  pathValidator.registerAll(ajv);
  ajv.addFormat('asl_arn', arnFormat.isArnFormatValid);
  const schema = ajv.getSchema(STATE_MACHINE_SCHEMA);
  if (!schema) throw new Error(`asl-validator schema ${STATE_MACHINE_SCHEMA} did not load`);
  compiled = schema;
  return schema;
}

function compilesAsJsonata(value: string): boolean {
  let body = value.trim();
  if (body.startsWith('{%')) body = body.slice(2);
  if (body.endsWith('%}')) body = body.slice(0, -2);
  try {
    jsonata(body);
    return true;
  } catch {
    return false;
  }
}

/**
 * Validates against asl-validator's schemas. `definition` must already carry an explicit
 * QueryLanguage on every state (the schemas branch on it). Returns the most specific error: the
 * deepest instance path, preferring format errors over the oneOf/anyOf summaries around them.
 */
export function aslSchemaError(definition: unknown): SchemaError | undefined {
  const validate = stateMachineSchema();
  if (validate(definition)) return undefined;
  const errors = validate.errors ?? [];
  const depth = (error: SchemaError) => error.instancePath.split('/').length;
  const deepest = Math.max(...errors.map(depth));
  const candidates = errors.filter((error) => depth(error) === deepest);
  const rank = (error: SchemaError) => (error.keyword === 'format' ? 0 : error.keyword === 'oneOf' || error.keyword === 'anyOf' ? 2 : 1);
  return [...candidates].sort((left, right) => rank(left) - rank(right))[0];
}
