/**
 * Every cdk-nag acknowledgement must acknowledge something: its id is an AwsSolutions rule id
 * (`AwsSolutions-<rule>` or `AwsSolutions-<rule>[<finding>]`, optionally under the
 * `AwsSolutions::` plugin namespace) and the rule raises exactly that finding on the acknowledged
 * construct or below. An id without the prefix, a typo or a stale finding fails here instead of
 * silently acknowledging nothing. (Whether the reason text is true is for review: see the APIG3
 * check below for the one this project got wrong.)
 */
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { createPipelineApp, REGION_CONTEXT_KEY } from '../../infra/pipeline-app.js';
import { DEFAULT_GLUE_SCRIPTS_DIR, DEFAULT_TASKS_DIR, REPO_ROOT } from '../../infra/project-paths.js';
import { CONFIG_VARIANTS } from './config-variants.js';

interface Acknowledgement {
  path: string;
  /** The plugin namespace the id was recorded under (`AwsSolutions`, `Annotation`, `CloudFormation-Validate`...). */
  namespace: string;
  id: string;
  reason: string;
}

function acknowledgements(root: IConstruct): Acknowledgement[] {
  const out: Acknowledgement[] = [];
  const visit = (node: IConstruct) => {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [qualified, reason] of Object.entries(entry.data as Record<string, string>)) {
        const [, namespace = '', id = qualified] = /^([^:]+)::(.*)$/s.exec(qualified) ?? [];
        out.push({ path: node.node.path, namespace, id, reason });
      }
    }
    for (const child of node.node.children) visit(child);
  };
  visit(root);
  return out;
}

/** Every finding the AwsSolutions pack raises, acknowledged or not: (construct path, rule id). */
function findings(app: App): Array<{ path: string; id: string }> {
  const pack = new AwsSolutionsChecks();
  const raised: Array<{ path: string; id: string }> = [];
  (pack as unknown as { isAcknowledged: (resource: IConstruct, ruleId: string) => boolean }).isAcknowledged = (resource, ruleId) => {
    raised.push({ path: resource.node.path, id: ruleId });
    return true;
  };
  pack.validateScope(app);
  return raised;
}

describe.each(CONFIG_VARIANTS)('cdk-nag acknowledgements: $name', (variant) => {
  it('each names an AwsSolutions rule and matches a finding that rule raises on its construct subtree', () => {
    const app = createPipelineApp({
      config: variant.config,
      nag: false,
      bundle: false,
      glueScriptsDir: DEFAULT_GLUE_SCRIPTS_DIR,
      tasksDir: DEFAULT_TASKS_DIR,
      outdir: join(REPO_ROOT, 'cdk.out', `test-nag-${process.pid}-${variant.name.replace(/\W+/g, '-')}`),
      ...(variant.region ? { context: { [REGION_CONTEXT_KEY]: variant.region } } : {}),
    });
    app.synth();
    const raised = findings(app);
    // cdk-nag reads acknowledgements under the AwsSolutions namespace and un-namespaced ones
    // (recorded as Annotation::); CDK's own (e.g. CloudFormation-Validate) are not nag's.
    const acks = acknowledgements(app).filter((ack) => ack.namespace === 'AwsSolutions' || (ack.namespace === 'Annotation' && !ack.id.startsWith('@aws-cdk')));
    expect(acks.length).toBeGreaterThan(20);

    const problems = acks.flatMap((ack) => {
      if (!/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/s.test(ack.id)) return [`${ack.path}: "${ack.id}" is not an AwsSolutions rule id`];
      const matched = raised.some((finding) => finding.id === ack.id && (finding.path === ack.path || finding.path.startsWith(`${ack.path}/`)));
      return matched ? [] : [`${ack.path}: "${ack.id}" matches no finding of that rule under this construct`];
    });

    expect(problems).toEqual([]);
  }, 120_000);
});

describe('cdk-nag acknowledgement reasons', () => {
  it('APIG3 does not claim a WAF setup the deploy guide does not have', async () => {
    const app = createPipelineApp({ nag: false, bundle: false, glueScriptsDir: DEFAULT_GLUE_SCRIPTS_DIR, tasksDir: DEFAULT_TASKS_DIR, outdir: join(REPO_ROOT, 'cdk.out', `test-nag-${process.pid}-reasons`) });
    const { readFileSync } = await import('node:fs');
    const deployGuide = readFileSync(join(REPO_ROOT, 'docs', 'DEPLOY.md'), 'utf8');
    const apig3 = acknowledgements(app).filter((ack) => ack.id === 'AwsSolutions-APIG3');

    expect(apig3).toHaveLength(1);
    if (!/\bWAF\b/.test(deployGuide)) expect(apig3[0]!.reason).not.toMatch(/deploy guide/i);
  });
});
