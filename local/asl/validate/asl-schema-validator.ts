import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import jsonata from 'jsonata';
import { REPO_ROOT } from '../../../infra/project-paths.js';
import { writeFileAtomicSync } from '../../state/atomic-write.js';

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

/** Whether this process has compiled the schemas (a definition found in the verdict cache does not). */
export function schemaCompiled(): boolean {
  return compiled !== undefined;
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
 * Definitions the schemas accepted, kept between processes: compiling the schemas costs ~0.4 s
 * (Ajv generates and compiles a validator for every schema), more than the rest of a 20k-row
 * run's start-up, and a command validates the same pipeline definition each time it starts.
 * A definition counts as accepted under the versions of everything the verdict depends on (the
 * schemas' package, Ajv, its formats, the path and JSONata checks) and this file's own text;
 * rejections are never stored, so every error message is built fresh.
 */
export const SCHEMA_VERDICT_CACHE_ENV = 'PRICESENSE_ASL_SCHEMA_CACHE';
const VERDICT_CACHE_FILE = join(REPO_ROOT, 'node_modules', '.cache', 'pricesense', 'asl-schema-accepted.json');
/** Accepted definitions remembered (the pipeline's few variants, and what tests throw at it). */
const VERDICT_CACHE_LIMIT = 500;

let verdictSalt: string | undefined;
function schemaVerdictSalt(): string {
  if (verdictSalt !== undefined) return verdictSalt;
  const require = createRequire(import.meta.url);
  const fromAslValidator = createRequire(require.resolve('asl-validator'));
  const versionOf = (resolve: (id: string) => string, name: string) => {
    try {
      return `${name}@${(JSON.parse(readFileSync(resolve(`${name}/package.json`), 'utf8')) as { version: string }).version}`;
    } catch {
      return `${name}@unknown`;
    }
  };
  const self = (() => {
    try {
      return readFileSync(new URL(import.meta.url));
    } catch {
      return Buffer.from(String(Math.random()));
    }
  })();
  verdictSalt = [
    versionOf(require.resolve, 'asl-validator'),
    ...['ajv', 'ajv-formats', 'asl-path-validator'].map((name) => versionOf(fromAslValidator.resolve, name)),
    versionOf(require.resolve, 'jsonata'),
    `node@${process.version}`,
    createHash('sha256').update(self).digest('hex'),
  ].join('\0');
  return verdictSalt;
}

function verdictCacheFile(): string {
  return process.env[SCHEMA_VERDICT_CACHE_ENV] || VERDICT_CACHE_FILE;
}

function readStored(): string[] {
  try {
    const stored = JSON.parse(readFileSync(verdictCacheFile(), 'utf8')) as unknown;
    return Array.isArray(stored) ? stored.filter((entry): entry is string => typeof entry === 'string') : [];
  } catch {
    return [];
  }
}

let accepted: Set<string> | undefined;
const unsaved: string[] = [];
let saveTimer: NodeJS.Timeout | undefined;
let savesAtExit = false;

function acceptedVerdicts(): Set<string> {
  accepted ??= new Set(readStored());
  return accepted;
}

/** Merged into the file shortly after the last new verdict, and at exit: not once per definition. */
function saveUnsaved(): void {
  if (unsaved.length === 0) return;
  const mine = new Set(unsaved.splice(0));
  const merged = [...readStored().filter((entry) => !mine.has(entry)), ...mine].slice(-VERDICT_CACHE_LIMIT);
  try {
    writeFileAtomicSync(verdictCacheFile(), JSON.stringify(merged));
  } catch {
    // A cache that cannot be written (read-only install) only costs the compile next time.
  }
}

function rememberAccepted(key: string): void {
  acceptedVerdicts().add(key);
  if (!savesAtExit) process.once('exit', saveUnsaved);
  savesAtExit = true;
  unsaved.push(key);
  clearTimeout(saveTimer);
  saveTimer = setTimeout(saveUnsaved, 250);
  saveTimer.unref();
}

/**
 * Validates against asl-validator's schemas. `definition` must already carry an explicit
 * QueryLanguage on every state (the schemas branch on it). Returns the most specific error: the
 * deepest instance path, preferring format errors over the oneOf/anyOf summaries around them.
 */
export function aslSchemaError(definition: unknown): SchemaError | undefined {
  const key = createHash('sha256').update(schemaVerdictSalt()).update('\0').update(JSON.stringify(definition)).digest('hex');
  if (acceptedVerdicts().has(key)) return undefined;
  const validate = stateMachineSchema();
  if (validate(definition)) {
    rememberAccepted(key);
    return undefined;
  }
  const errors = validate.errors ?? [];
  const depth = (error: SchemaError) => error.instancePath.split('/').length;
  const deepest = Math.max(...errors.map(depth));
  const candidates = errors.filter((error) => depth(error) === deepest);
  const rank = (error: SchemaError) => (error.keyword === 'format' ? 0 : error.keyword === 'oneOf' || error.keyword === 'anyOf' ? 2 : 1);
  return [...candidates].sort((left, right) => rank(left) - rank(right))[0];
}
