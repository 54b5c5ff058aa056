/**
 * Task Arguments and `$states.result` reads checked against the AWS API models of the aws-sdk v2
 * package (`apis/*.min.json`). Those minified models keep member names, nesting, required members
 * and member types, but NOT enums, lengths or patterns: those are not checked here (the service
 * emulators check the ones pricesense uses, e.g. local/aws/sagemaker/validation.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const APIS = join(dirname(require.resolve('aws-sdk/package.json')), 'apis');

interface Shape {
  type?: string;
  shape?: string;
  members?: Record<string, Shape>;
  required?: string[];
  member?: Shape;
  key?: Shape;
  value?: Shape;
}
interface ApiModel {
  operations: Record<string, { input?: Shape; output?: Shape }>;
  shapes: Record<string, Shape>;
}

const SERVICE_PREFIX: Record<string, string> = { applicationautoscaling: 'application-autoscaling', cloudwatch: 'monitoring', sfn: 'states', states: 'states' };
const models = new Map<string, ApiModel>();

export function apiModel(service: string): ApiModel {
  const prefix = SERVICE_PREFIX[service] ?? service;
  let model = models.get(prefix);
  if (!model) {
    const pattern = new RegExp(`^${prefix}-\\d{4}-\\d{2}-\\d{2}\\.min\\.json$`);
    const files = readdirSync(APIS).filter((file) => pattern.test(file)).sort();
    if (files.length === 0) throw new Error(`no API model for service ${service} in ${APIS}`);
    model = JSON.parse(readFileSync(join(APIS, files.at(-1)!), 'utf8')) as ApiModel;
    models.set(prefix, model);
  }
  return model;
}

function resolveShape(model: ApiModel, shape: Shape | undefined): Shape {
  let current = shape ?? {};
  while (current.shape) current = { ...model.shapes[current.shape]!, ...(current.type ? { type: current.type } : {}) };
  return current.type ? current : { ...current, type: current.members ? 'structure' : 'string' };
}

/** `getJobRun`-style integration action → API operation name (`GetJobRun`). */
const operationName = (action: string) => action.charAt(0).toUpperCase() + action.slice(1);

export interface TaskApi {
  service: string;
  operation: string;
  /** The operation whose output the state result has (the Describe or Get call for `.sync`). */
  resultOperation?: string;
  /** Where the result's shape starts inside the result operation's output. */
  resultRoot?: string[];
}

/** `.sync` results: the job's Describe/Get response (Step Functions service integration docs). */
const SYNC_RESULT: Record<string, { operation: string; root?: string[] }> = {
  'sagemaker:CreateTrainingJob': { operation: 'DescribeTrainingJob' },
  'sagemaker:CreateTransformJob': { operation: 'DescribeTransformJob' },
  'glue:StartJobRun': { operation: 'GetJobRun', root: ['JobRun'] },
  'athena:StartQueryExecution': { operation: 'GetQueryExecution' },
};

/** The API behind a Task Resource, or undefined for resources without an AWS API model (eks:call, bare Lambda ARNs). */
export function taskApi(resource: string): TaskApi | undefined {
  const sdk = /^arn:[^:]+:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(resource);
  if (sdk) return { service: sdk[1]!, operation: operationName(sdk[2]!), resultOperation: operationName(sdk[2]!) };
  const optimized = /^arn:[^:]+:states:::([a-z0-9-]+):([A-Za-z0-9]+)(\.sync|\.waitForTaskToken)?$/.exec(resource);
  if (!optimized || optimized[1] === 'eks') return undefined;
  const service = optimized[1]!;
  const operation = operationName(optimized[2]!);
  if (optimized[3] === '.sync') {
    const sync = SYNC_RESULT[`${service}:${operation}`];
    return { service, operation, ...(sync ? { resultOperation: sync.operation, ...(sync.root ? { resultRoot: sync.root } : {}) } : {}) };
  }
  return { service, operation, resultOperation: operation };
}

const isExpression = (value: unknown) => typeof value === 'string' && /^\{%[\s\S]*%\}$/.test(value.trim());

/** Problems of one Arguments value against the operation's input shape. */
export function checkArguments(api: TaskApi, args: unknown): string[] {
  const model = apiModel(api.service);
  const operation = model.operations[api.operation];
  if (!operation) return [`${api.service}:${api.operation} is not an operation of the ${api.service} API`];
  const problems: string[] = [];
  const walk = (value: unknown, shape: Shape, path: string) => {
    // null is an absent member on AWS's JSON protocols (CDK renders unset optional props as null);
    // a required one is reported by its parent.
    if (isExpression(value) || value === null) return;
    const resolved = resolveShape(model, shape);
    switch (resolved.type) {
      case 'structure': {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return void problems.push(`${path}: expected an object, got ${JSON.stringify(value)}`);
        const members = resolved.members ?? {};
        for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
          if (!(key in members)) problems.push(`${path}.${key}: not a member of ${api.service}:${api.operation} here (members: ${Object.keys(members).join(', ')})`);
          else walk(item, members[key]!, `${path}.${key}`);
        }
        for (const required of resolved.required ?? []) {
          const present = (value as Record<string, unknown>)[required];
          if (present === undefined || present === null) problems.push(`${path}.${required}: required member missing`);
        }
        return;
      }
      case 'list':
        if (!Array.isArray(value)) return void problems.push(`${path}: expected a list, got ${JSON.stringify(value)}`);
        value.forEach((item, index) => walk(item, resolved.member!, `${path}[${index}]`));
        return;
      case 'map':
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return void problems.push(`${path}: expected a map, got ${JSON.stringify(value)}`);
        for (const [key, item] of Object.entries(value as Record<string, unknown>)) walk(item, resolved.value!, `${path}.${key}`);
        return;
      case 'integer':
      case 'long':
      case 'double':
      case 'float':
        if (typeof value !== 'number') problems.push(`${path}: expected a number (${resolved.type}), got ${JSON.stringify(value)}`);
        return;
      case 'boolean':
        if (typeof value !== 'boolean') problems.push(`${path}: expected a boolean, got ${JSON.stringify(value)}`);
        return;
      case 'timestamp':
        if (typeof value !== 'string' && typeof value !== 'number') problems.push(`${path}: expected a timestamp, got ${JSON.stringify(value)}`);
        return;
      case 'blob':
        return; // Step Functions serializes JSON for blob members (e.g. Lambda Payload)
      default:
        if (typeof value !== 'string') problems.push(`${path}: expected a string, got ${JSON.stringify(value)}`);
    }
  };
  walk(args, operation.input ?? { type: 'structure', members: {} }, 'Arguments');
  return problems;
}

/** Problems of `$states.result.…` paths against the output shape of the state's result. */
export function checkResultReads(api: TaskApi, expressions: string[]): string[] {
  if (!api.resultOperation) return [];
  const model = apiModel(api.service);
  const operation = model.operations[api.resultOperation];
  if (!operation) return [`${api.service}:${api.resultOperation} is not an operation of the ${api.service} API`];
  const problems: string[] = [];
  for (const expression of expressions) {
    for (const match of expression.matchAll(/\$states\.result((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
      const segments = match[1]!.slice(1).split('.');
      let shape = resolveShape(model, operation.output);
      for (const segment of api.resultRoot ?? []) shape = resolveShape(model, shape.members?.[segment]);
      for (const [index, segment] of segments.entries()) {
        while (shape.type === 'list') shape = resolveShape(model, shape.member); // JSONata maps a path over a list
        if (shape.type === 'map' || (shape.type === 'blob')) break;
        if (shape.type !== 'structure') {
          problems.push(`$states.result.${segments.join('.')}: ${segments.slice(0, index).join('.')} is a ${shape.type}, it has no ${segment}`);
          break;
        }
        const member = shape.members?.[segment];
        if (!member) {
          problems.push(`$states.result.${segments.join('.')}: ${api.service}:${api.resultOperation} output has no ${segment}${index > 0 ? ` under ${segments.slice(0, index).join('.')}` : ''}`);
          break;
        }
        shape = resolveShape(model, member);
      }
    }
  }
  return problems;
}
