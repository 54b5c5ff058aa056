/**
 * Writes infra/eks/generated/serving.yaml from serving-manifests.ts:
 * `npx tsx infra/eks/render.ts [roleArn] [region] [image] [certificateArn] [host] [inferenceTable] [goldBucket] [inboundCidrs]`
 * (omitted arguments keep the example values; the stack outputs ServingRoleArn, ServingRepositoryUri,
 * InferenceLogTableName and ServingGoldBucketName). The ALB is internal unless `inboundCidrs`
 * (comma-separated source ranges) makes it internet-facing for those ranges only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_OPTIONS, renderYaml, servingManifests } from './serving-manifests.js';

export const GENERATED_YAML = join(dirname(fileURLToPath(import.meta.url)), 'generated', 'serving.yaml');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [roleArn, region, image, certificateArn, host, inferenceTableName, goldBucketName, inboundCidrs] = process.argv.slice(2);
  const text = renderYaml(
    servingManifests({
      ...EXAMPLE_OPTIONS,
      ...(roleArn ? { roleArn } : {}),
      ...(region ? { region } : {}),
      ...(image ? { image } : {}),
      ...(certificateArn ? { ingress: { certificateArn, ...(host ? { host } : {}), ...(inboundCidrs ? { inboundCidrs: inboundCidrs.split(',') } : {}) } } : {}),
      ...(inferenceTableName ? { inferenceTableName } : {}),
      ...(goldBucketName ? { goldBucketName } : {}),
    }),
  );
  mkdirSync(dirname(GENERATED_YAML), { recursive: true });
  writeFileSync(GENERATED_YAML, text);
  console.log(`wrote ${GENERATED_YAML}`);
}
