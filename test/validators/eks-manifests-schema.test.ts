/**
 * The EKS manifests (infra/eks/generated/serving.yaml) against the Kubernetes API types. No
 * offline Kubernetes JSON schema package is installed, so the check uses the `kubernetes-types`
 * package (TypeScript types generated from the Kubernetes 1.30 OpenAPI spec): each manifest is
 * compiled as an object literal `satisfies` its kind's type, which reports unknown fields
 * (excess properties), missing required fields and wrong value types. It cannot check what the
 * types do not carry: enum values inside strings, quantity formats, cross-field rules, and
 * fields of API versions newer than 1.30.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/project-paths.js';

const TYPES: Record<string, { module: string; type: string }> = {
  'v1/Namespace': { module: 'kubernetes-types/core/v1', type: 'Namespace' },
  'v1/ServiceAccount': { module: 'kubernetes-types/core/v1', type: 'ServiceAccount' },
  'v1/Service': { module: 'kubernetes-types/core/v1', type: 'Service' },
  'v1/ConfigMap': { module: 'kubernetes-types/core/v1', type: 'ConfigMap' },
  'apps/v1/Deployment': { module: 'kubernetes-types/apps/v1', type: 'Deployment' },
  'autoscaling/v2/HorizontalPodAutoscaler': { module: 'kubernetes-types/autoscaling/v2', type: 'HorizontalPodAutoscaler' },
  'policy/v1/PodDisruptionBudget': { module: 'kubernetes-types/policy/v1', type: 'PodDisruptionBudget' },
  'networking.k8s.io/v1/NetworkPolicy': { module: 'kubernetes-types/networking/v1', type: 'NetworkPolicy' },
  'networking.k8s.io/v1/Ingress': { module: 'kubernetes-types/networking/v1', type: 'Ingress' },
};

function typeCheck(manifests: Array<Record<string, any>>): string[] {
  const dir = join(REPO_ROOT, 'cdk.out', `k8s-types-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const imports = new Set<string>();
  const lines = manifests.map((manifest, index) => {
    const key = `${manifest.apiVersion}/${manifest.kind}`;
    const target = TYPES[key];
    if (!target) throw new Error(`no kubernetes-types mapping for ${key}: add it to TYPES`);
    imports.add(`import type { ${target.type} as ${target.type}_${target.module.split('/')[1]!.replace(/\W/g, '_')} } from '${target.module}';`);
    return `export const manifest${index} = ${JSON.stringify(manifest, null, 2)} satisfies ${target.type}_${target.module.split('/')[1]!.replace(/\W/g, '_')};`;
  });
  const file = join(dir, 'manifests.ts');
  writeFileSync(file, `${[...imports].join('\n')}\n\n${lines.join('\n\n')}\n`);
  const program = ts.createProgram([file], { strict: true, noEmit: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: [] });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const position = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
    return `${position ? `line ${position.line + 1}: ` : ''}${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });
}

const manifests = parseAllDocuments(readFileSync(join(REPO_ROOT, 'infra', 'eks', 'generated', 'serving.yaml'), 'utf8'))
  .map((document) => document.toJS() as Record<string, any>)
  .filter((manifest) => manifest && typeof manifest === 'object');

describe('EKS manifests against the Kubernetes API types (kubernetes-types 1.30)', () => {
  it('has the kinds the serving rollout needs', () => {
    expect(manifests.map((manifest) => manifest.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'Namespace', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
  });

  it('every field is a field of its kind, with the right type, and required fields are present', () => {
    expect(typeCheck(manifests)).toEqual([]);
  }, 60_000);

  it('reports an unknown field (the check is not vacuous)', () => {
    const deployment = structuredClone(manifests.find((manifest) => manifest.kind === 'Deployment')!);
    deployment.spec.template.spec.containers[0].imagePullPolicy = 'Always';
    deployment.spec.template.spec.containers[0].ports[0].containerport = 8080;
    const problems = typeCheck([deployment]);
    expect(problems.join('\n')).toContain(`'"containerport"' does not exist in type 'ContainerPort'`);
  }, 60_000);
});
