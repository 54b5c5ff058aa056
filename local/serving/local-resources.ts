/**
 * The names `pricesense serve` needs from what `pricesense run` deployed in the same state
 * directory: the inference-log table, the customer feature group and the endpoint. The run's
 * bootstrap takes them from the synthesized template (the /predict function's environment, as
 * the API Lambda gets them on AWS) and writes `<stateDir>/local-resources.json`; serve reads it,
 * so the two agree with no extra flags.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TaskEnv } from '../../workflow/task-environment.js';
import { TaskFunction } from '../../workflow/resource-names.js';
import { writeJsonAtomic } from '../state/atomic-write.js';

export const LOCAL_RESOURCES_FILE = 'local-resources.json';

export interface ServingResourceNames {
  inferenceTableName?: string;
  featureGroupName?: string;
  endpointName?: string;
}

interface TemplateResource {
  type: string;
  name: string;
  properties: Record<string, unknown>;
}

function environmentOf(resource: TemplateResource): Record<string, unknown> {
  const variables = (resource.properties.Environment as { Variables?: unknown } | undefined)?.Variables;
  return typeof variables === 'object' && variables !== null ? (variables as Record<string, unknown>) : {};
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The names from the template's resources: the /predict function's environment first; without
 * that function, the only DynamoDB table and the only feature group.
 */
export function servingResourceNames(resources: Iterable<TemplateResource>): ServingResourceNames {
  const all = [...resources];
  const predict = all.find((r) => r.type === 'AWS::Lambda::Function' && environmentOf(r).POWERTOOLS_SERVICE_NAME === TaskFunction.Predict);
  const env = predict ? environmentOf(predict) : {};
  const tables = all.filter((r) => r.type === 'AWS::DynamoDB::Table');
  const groups = all.filter((r) => r.type === 'AWS::SageMaker::FeatureGroup');
  const names: ServingResourceNames = {};
  const table = stringOrUndefined(env[TaskEnv.InferenceTableName]) ?? (tables.length === 1 ? tables[0]!.name : undefined);
  const group = stringOrUndefined(env[TaskEnv.FeatureGroupName]) ?? (groups.length === 1 ? groups[0]!.name : undefined);
  const endpoint = stringOrUndefined(env[TaskEnv.EndpointName]);
  if (table !== undefined) names.inferenceTableName = table;
  if (group !== undefined) names.featureGroupName = group;
  if (endpoint !== undefined) names.endpointName = endpoint;
  return names;
}

/** Writes the names unless the file already holds them (a second bootstrap changes nothing). */
export async function writeLocalResources(stateDir: string, resources: Iterable<TemplateResource>): Promise<ServingResourceNames> {
  const names = servingResourceNames(resources);
  let current: ServingResourceNames | undefined;
  try {
    current = readLocalResources(stateDir);
  } catch {
    current = undefined;
  }
  if (current === undefined || JSON.stringify(current) !== JSON.stringify(names)) await writeJsonAtomic(join(stateDir, LOCAL_RESOURCES_FILE), names);
  return names;
}

/** What the last run wrote, or undefined when no run has bootstrapped this state directory. */
export function readLocalResources(stateDir: string): ServingResourceNames | undefined {
  const path = join(stateDir, LOCAL_RESOURCES_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}): delete it or run the pipeline again to rewrite it`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${path} must hold a JSON object of resource names, got ${text.slice(0, 60)}`);
  const out: ServingResourceNames = {};
  for (const key of ['inferenceTableName', 'featureGroupName', 'endpointName'] as const) {
    const value = (parsed as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') throw new Error(`${path}: ${key} must be a non-empty string, got ${JSON.stringify(value)}`);
    out[key] = value;
  }
  return out;
}
