/**
 * Resolves CloudFormation intrinsic functions (`Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`,
 * `Fn::Select`, `Fn::Split`) and pseudo parameters against local names. Anything it cannot
 * resolve fails with the path of the offending value: a definition that half-resolves would
 * fail much later, at run time, with a far less helpful message.
 */
import { LOCAL_ACCOUNT, LOCAL_PARTITION, LOCAL_REGION, LOCAL_STACK_NAME, LOCAL_URL_SUFFIX } from './local-environment.js';

export class TemplateResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateResolutionError';
  }
}

/** What intrinsic resolution needs to know about the template. */
export interface IntrinsicContext {
  /** Value of `Ref` on a resource (its name, ARN, URL or id depending on the type). */
  ref(logicalId: string): string | undefined;
  /** Value of `Fn::GetAtt` on a resource; undefined when the resource or attribute is unknown. */
  getAtt(logicalId: string, attribute: string): string | undefined;
  /** Template parameters with their Default values. */
  parameters?: Record<string, unknown>;
  stackName?: string;
  /**
   * When true, unknown `Fn::GetAtt` attributes resolve to `<logicalId>.<attribute>` instead of
   * failing (used for resource properties, which may name attributes the local side never reads).
   */
  lenientAttributes?: boolean;
}

/** Marker CloudFormation removes from lists and objects (`Ref: AWS::NoValue`). */
const NO_VALUE = Symbol('AWS::NoValue');

export function resolveIntrinsics(value: unknown, context: IntrinsicContext, path = '$'): unknown {
  const resolved = resolveAny(value, context, path);
  return resolved === NO_VALUE ? undefined : resolved;
}

function resolveAny(value: unknown, context: IntrinsicContext, path: string): unknown {
  if (Array.isArray(value)) {
    return value.map((item, index) => resolveAny(item, context, `${path}[${index}]`)).filter((item) => item !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, argument] = entries[0]!;
    if (key === 'Ref') return resolveRef(argument, context, path);
    if (key.startsWith('Fn::')) return resolveFunction(key, argument, context, `${path}.${key}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    const resolved = resolveAny(item, context, `${path}.${key}`);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

function resolveRef(target: unknown, context: IntrinsicContext, path: string): unknown {
  if (typeof target !== 'string') throw new TemplateResolutionError(`${path}: Ref expects a name, got ${JSON.stringify(target)}`);
  switch (target) {
    case 'AWS::Partition':
      return LOCAL_PARTITION;
    case 'AWS::Region':
      return LOCAL_REGION;
    case 'AWS::AccountId':
      return LOCAL_ACCOUNT;
    case 'AWS::URLSuffix':
      return LOCAL_URL_SUFFIX;
    case 'AWS::StackName':
      return context.stackName ?? LOCAL_STACK_NAME;
    case 'AWS::StackId':
      return `arn:${LOCAL_PARTITION}:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stack/${context.stackName ?? LOCAL_STACK_NAME}/00000000-0000-0000-0000-000000000000`;
    case 'AWS::NoValue':
      return NO_VALUE;
    case 'AWS::NotificationARNs':
      return [];
  }
  const parameter = context.parameters?.[target];
  if (parameter !== undefined) {
    const defaultValue = (parameter as { Default?: unknown }).Default;
    if (defaultValue === undefined) {
      throw new TemplateResolutionError(`${path}: parameter ${target} has no Default, so it cannot be resolved locally`);
    }
    return defaultValue;
  }
  const ref = context.ref(target);
  if (ref === undefined) throw new TemplateResolutionError(`${path}: Ref to ${JSON.stringify(target)}, which is neither a resource, a parameter nor a pseudo parameter of the template`);
  return ref;
}

function resolveGetAtt(logicalId: string, attribute: string, context: IntrinsicContext, path: string): string {
  const value = context.getAtt(logicalId, attribute);
  if (value !== undefined) return value;
  if (context.ref(logicalId) === undefined) {
    throw new TemplateResolutionError(`${path}: Fn::GetAtt on ${JSON.stringify(logicalId)}, which is not a resource of the template`);
  }
  if (context.lenientAttributes) return `${logicalId}.${attribute}`;
  throw new TemplateResolutionError(`${path}: Fn::GetAtt ${logicalId}.${attribute} has no local value (supported: Arn, *Arn, Name, *Name, *Id, *Url and the bucket domain names)`);
}

function resolveFunction(name: string, argument: unknown, context: IntrinsicContext, path: string): unknown {
  switch (name) {
    case 'Fn::GetAtt': {
      const [logicalId, ...attributeParts] = typeof argument === 'string' ? argument.split('.') : (argument as unknown[]);
      const attribute = attributeParts.map((part) => String(resolveAny(part, context, path))).join('.');
      if (typeof logicalId !== 'string' || attribute === '') {
        throw new TemplateResolutionError(`${path}: expected [logicalId, attribute], got ${JSON.stringify(argument)}`);
      }
      return resolveGetAtt(logicalId, attribute, context, path);
    }
    case 'Fn::Join': {
      const [separator, parts] = expectArray(argument, 2, path);
      const list = resolveAny(parts, context, path);
      if (typeof separator !== 'string' || !Array.isArray(list)) {
        throw new TemplateResolutionError(`${path}: expected [separator, [parts...]], got ${JSON.stringify(argument)}`);
      }
      return list.map((part, index) => scalarString(part, `${path}[1][${index}]`)).join(separator);
    }
    case 'Fn::Select': {
      const [indexValue, listValue] = expectArray(argument, 2, path);
      const index = Number(resolveAny(indexValue, context, path));
      const list = resolveAny(listValue, context, path);
      if (!Array.isArray(list) || !Number.isInteger(index) || index < 0 || index >= list.length) {
        throw new TemplateResolutionError(`${path}: index ${JSON.stringify(indexValue)} is outside the list ${JSON.stringify(list)}`);
      }
      return list[index];
    }
    case 'Fn::Split': {
      const [separator, source] = expectArray(argument, 2, path);
      const text = resolveAny(source, context, path);
      if (typeof separator !== 'string' || typeof text !== 'string') {
        throw new TemplateResolutionError(`${path}: expected [separator, string], got ${JSON.stringify(argument)}`);
      }
      return text.split(separator);
    }
    case 'Fn::Sub':
      return resolveSub(argument, context, path);
    case 'Fn::Base64':
      return Buffer.from(scalarString(resolveAny(argument, context, path), path)).toString('base64');
    default:
      throw new TemplateResolutionError(`${path}: ${name} is not supported locally (supported: Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::Base64)`);
  }
}

function resolveSub(argument: unknown, context: IntrinsicContext, path: string): string {
  const [template, variables] = typeof argument === 'string' ? [argument, {}] : expectArray(argument, 2, path);
  if (typeof template !== 'string' || variables === null || typeof variables !== 'object') {
    throw new TemplateResolutionError(`${path}: expected a string or [string, {variables}], got ${JSON.stringify(argument)}`);
  }
  const locals = variables as Record<string, unknown>;
  return template.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`; // ${!Literal} is an escaped literal
    if (name in locals) return scalarString(resolveAny(locals[name], context, `${path}.${name}`), `${path}.${name}`);
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) return resolveGetAtt(name.slice(0, dot), name.slice(dot + 1), context, path);
    const value = resolveRef(name, context, `${path} ${whole}`);
    return scalarString(value, path);
  });
}

function expectArray(argument: unknown, length: number, path: string): unknown[] {
  if (!Array.isArray(argument) || argument.length !== length) {
    throw new TemplateResolutionError(`${path}: expected a list of ${length} arguments, got ${JSON.stringify(argument)}`);
  }
  return argument;
}

function scalarString(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateResolutionError(`${path}: expected a string after resolution, got ${JSON.stringify(value)}`);
}
