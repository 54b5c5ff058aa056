/**
 * Athena authorizes GetQueryExecution, GetQueryResults and StopQueryExecution on the workgroup of
 * the query, which AWS knows for every query it ran. The enforcement learns it when the query
 * starts; a query started by an earlier process (a killed run whose redrive reads its results) is
 * looked up in the Athena emulator, which keeps its queries in the state directory. Without this
 * the call would be checked against `primary` and wrongly denied.
 */
import type { LocalAws } from '../aws/registry.js';
import type { CallEnvironment } from './call-requests.js';

const ACTIONS_ON_A_QUERY = new Set(['GetQueryExecution', 'GetQueryResults', 'StopQueryExecution']);

/** Makes sure `env.queryWorkgroups` knows the workgroup of the query this call names, if any emulator does. */
export async function learnQueryWorkgroup(localAws: LocalAws, env: CallEnvironment, service: string, action: string, input: Record<string, unknown>): Promise<void> {
  if (service !== 'athena' || !ACTIONS_ON_A_QUERY.has(action)) return;
  const id = input.QueryExecutionId;
  if (typeof id !== 'string' || id === '' || env.queryWorkgroups.has(id)) return;
  // The emulator's own record, not a call of the principal: an unknown id stays unknown (and the
  // call then fails with the emulator's InvalidRequestException once authorized).
  const described = (await localAws.call('athena', 'GetQueryExecution', { QueryExecutionId: id }).catch(() => undefined)) as
    | { QueryExecution?: { WorkGroup?: unknown } }
    | undefined;
  const workGroup = described?.QueryExecution?.WorkGroup;
  if (typeof workGroup === 'string' && workGroup !== '') env.queryWorkgroups.set(id, workGroup);
}
