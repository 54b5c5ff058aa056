import { describe, expect, it } from 'vitest';
import { CONFIG_VARIANTS, synthVariant } from './config-variants.js';
import { checkTemplateStatements, templateStatements } from './iam-resource-types.js';

describe.each(CONFIG_VARIANTS)('IAM statements against the Service Authorization Reference: $name', (variant) => {
  it('grants every action on ARNs of a resource type it acts on (or "*" where it takes none), and every required resource type', async () => {
    const statements = templateStatements(synthVariant(variant).template);
    expect(statements.length).toBeGreaterThan(50);

    // PutMetricData's only resource type (`dataset`, optional) is not what the pipeline writes to:
    // metrics are scoped by the cloudwatch:namespace condition on each of these statements.
    const findings = await checkTemplateStatements(statements, { allowWildcard: (action) => action === 'cloudwatch:PutMetricData' });

    expect(findings.map((finding) => `${finding.source}: ${finding.action} ${finding.problem}`)).toEqual([]);
  }, 120_000);
});
