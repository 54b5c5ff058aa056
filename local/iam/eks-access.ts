/**
 * `eks:call` is not authorized by an IAM action: the cluster authenticates the state machine's
 * role and Kubernetes RBAC authorizes the request. With EKS access entries (what the template
 * declares, `AWS::EKS::AccessEntry`) an unknown principal gets 401 Unauthorized and a principal
 * whose access policies are scoped to other namespaces gets 403 Forbidden, with the API server's
 * Status body; the integration reports them as `EKS.401` / `EKS.403`.
 */
import { AwsServiceError } from '../aws/emulator.js';
import type { LocalNames } from '../template/index.js';
import { assumedRoleArn, type Principal } from './authorizer.js';

interface AccessEntry {
  clusterName: string;
  principalArn: string;
  /** undefined: cluster-wide. */
  namespaces?: string[];
}

export function accessEntriesOf(names: LocalNames): AccessEntry[] {
  return [...names.values()]
    .filter((resource) => resource.type === 'AWS::EKS::AccessEntry')
    .map((resource) => {
      const policies = (resource.properties.AccessPolicies ?? []) as Array<{ AccessScope?: { Type?: string; Namespaces?: string[] } }>;
      const clusterWide = policies.some((policy) => policy.AccessScope?.Type === 'cluster');
      return {
        clusterName: String(resource.properties.ClusterName),
        principalArn: String(resource.properties.PrincipalArn),
        ...(clusterWide ? {} : { namespaces: policies.flatMap((policy) => policy.AccessScope?.Namespaces ?? []) }),
      };
    });
}

function failure(statusCode: 401 | 403, message: string, reason: string): AwsServiceError {
  const body = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code: statusCode };
  const response = { ResponseBody: body, StatusCode: statusCode, StatusText: statusCode === 401 ? 'Unauthorized' : 'Forbidden', Headers: { 'Content-Type': ['application/json'] } };
  return new AwsServiceError(String(statusCode), JSON.stringify(response), { httpStatusCode: statusCode });
}

/** Throws the API server's 401/403 when the cluster's access entries do not let `principal` make the call. */
export function authorizeEksCall(entries: AccessEntry[], principal: Principal, input: Record<string, unknown>): void {
  const entry = entries.find((candidate) => candidate.clusterName === input.ClusterName && candidate.principalArn === principal.roleArn);
  if (!entry) throw failure(401, 'Unauthorized', 'Unauthorized');
  const namespace = /\/namespaces\/([^/]+)/.exec(String(input.Path ?? ''))?.[1];
  if (entry.namespaces === undefined || (namespace !== undefined && entry.namespaces.includes(namespace))) return;
  const verb = String(input.Method ?? 'GET').toLowerCase();
  const name = /\/deployments\/([^/?]+)/.exec(String(input.Path ?? ''))?.[1] ?? '';
  throw failure(
    403,
    `deployments.apps "${name}" is forbidden: User "${assumedRoleArn(principal)}" cannot ${verb} resource "deployments" in API group "apps" in the namespace "${namespace ?? ''}"`,
    'Forbidden',
  );
}
