import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_YAML } from '../../infra/eks/render.js';
import {
  EXAMPLE_OPTIONS,
  IRSA_ROLE_ANNOTATION,
  MODEL_URI_ENV,
  renderYaml,
  PREDICT_CONTAINER,
  REQUESTS_METRIC,
  SERVING_CONTAINER,
  SERVING_PORT,
  MODEL_DIR,
  PREDICT_ARGS,
  servingManifests,
  type Manifest,
} from '../../infra/eks/serving-manifests.js';
import { DEFAULT_CONFIG } from '../../workflow/config.js';
import { EKS_MODEL_PACKAGE_ANNOTATION, EKS_MODEL_URI_ANNOTATION } from '../../workflow/pipeline-definition.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const manifests = servingManifests(EXAMPLE_OPTIONS);
const byKind = (kind: string): Json => {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found).toHaveLength(1);
  return found[0] as Json;
};
const deployment = byKind('Deployment');
const podSpec = deployment.spec.template.spec;
const allContainers: Json[] = [...podSpec.initContainers, ...podSpec.containers];
const serving = podSpec.containers.find((c: Json) => c.name === PREDICT_CONTAINER);

describe('EKS serving manifests', () => {
  it('uses the API version each kind is served under', () => {
    expect(manifests.map((m) => `${m.apiVersion} ${m.kind}`)).toEqual([
      'v1 Namespace',
      'v1 ServiceAccount',
      'apps/v1 Deployment',
      'v1 Service',
      'autoscaling/v2 HorizontalPodAutoscaler',
      'networking.k8s.io/v1 Ingress',
      'policy/v1 PodDisruptionBudget',
    ]);
  });

  it('puts every namespaced object in the namespace the workflow patches', () => {
    const namespaced = manifests.filter((m: Manifest) => m.kind !== 'Namespace');
    expect(new Set(namespaced.map((m) => m.metadata.namespace))).toEqual(new Set([DEFAULT_CONFIG.eks.namespace]));
  });

  it('names the Deployment as the workflow eks:call path does', () => {
    expect(deployment.metadata.name).toBe(DEFAULT_CONFIG.eks.deploymentName);
  });

  it('selects the pods by labels the pod template carries', () => {
    for (const [key, value] of Object.entries(deployment.spec.selector.matchLabels)) expect(deployment.spec.template.metadata.labels[key]).toBe(value);
  });

  it('routes the Service and the PodDisruptionBudget to the same pods', () => {
    expect(byKind('Service').spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(byKind('PodDisruptionBudget').spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
  });

  it('keeps one pod through voluntary disruptions', () => {
    expect(byKind('PodDisruptionBudget').spec.minAvailable).toBe(1);
  });

  it('scales the Deployment with the HPA, starting at the Deployment replica count', () => {
    const hpa = byKind('HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBe(deployment.spec.replicas);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
  });

  it('probes readiness and liveness on the container contract /ping', () => {
    for (const probe of [serving.readinessProbe, serving.livenessProbe]) expect(probe.httpGet).toEqual({ path: '/ping', port: SERVING_PORT });
    expect(serving.ports).toEqual([{ name: 'http', containerPort: SERVING_PORT, protocol: 'TCP' }]);
  });

  it('runs the pricesense serving image in AWS mode on all interfaces, with the settings `serve --aws` reads', () => {
    expect(serving.image).toBe(EXAMPLE_OPTIONS.image);
    expect(serving.args).toEqual(['--aws', '--host', '0.0.0.0', '--port', String(SERVING_PORT)]);
    expect(serving.env).toEqual([
      { name: MODEL_URI_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${EKS_MODEL_URI_ANNOTATION}']` } } },
      { name: 'PRICESENSE_MODEL_PACKAGE_ARN', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${EKS_MODEL_PACKAGE_ANNOTATION}']` } } },
      { name: 'AWS_REGION', value: 'us-east-1' },
      { name: 'PRICESENSE_MODEL_DIR', value: MODEL_DIR },
      { name: 'PRICESENSE_GOLD_BUCKET', value: EXAMPLE_OPTIONS.goldBucketName },
      { name: 'PRICESENSE_FEATURE_GROUP', value: 'pricesense-customer-history' },
      { name: 'PRICESENSE_INFERENCE_TABLE', value: 'pricesense-inference-log' },
    ]);
  });

  it('mounts nothing writable in the serving container but /tmp (AWS mode keeps no state on disk)', () => {
    expect(serving.volumeMounts).toEqual([
      { name: 'model', mountPath: MODEL_DIR, readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ]);
    expect(podSpec.volumes.map((v: Json) => v.name)).toEqual(['model', 'tmp']);
  });

  it('rejects the serving image without the gold bucket its reference prices live in, naming the value', () => {
    expect(() => servingManifests({ ...EXAMPLE_OPTIONS, goldBucketName: undefined })).toThrow('goldBucketName must be the gold bucket\'s name (stack output ServingGoldBucketName) with image: the server reads the model\'s reference prices there, got undefined');
    expect(() => servingManifests({ ...EXAMPLE_OPTIONS, goldBucketName: 's3://gold' })).toThrow('got "s3://gold"');
  });

  it('starts pods on a given model and its package before the first rollout patches them', () => {
    const pkg = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/pricesense-models/3';
    const patched = servingManifests({ ...EXAMPLE_OPTIONS, initialModelDataUrl: 's3://a/training/j/output/model.tar.gz', initialModelPackageArn: pkg }).find((m) => m.kind === 'Deployment') as Json;
    expect(patched.spec.template.metadata.annotations).toEqual({ [EKS_MODEL_URI_ANNOTATION]: 's3://a/training/j/output/model.tar.gz', [EKS_MODEL_PACKAGE_ANNOTATION]: pkg });
  });

  it('without an image runs the SageMaker XGBoost 1.7 serving container (model only)', () => {
    const { image: _image, ingress: _ingress, ...modelOnly } = EXAMPLE_OPTIONS;
    const container = (servingManifests(modelOnly).find((m) => m.kind === 'Deployment') as Json).spec.template.spec.containers[0];

    expect(container).toMatchObject({ name: SERVING_CONTAINER, image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1', args: ['serve'] });
  });

  it('scales on CPU and on /predict requests per pod', () => {
    expect(byKind('HorizontalPodAutoscaler').spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Pods', pods: { metric: { name: REQUESTS_METRIC }, target: { type: 'AverageValue', averageValue: '50' } } },
    ]);
  });

  it('exposes only /predict and /ping through an HTTPS-only ALB Ingress', () => {
    const ingress = byKind('Ingress');
    const annotations = ingress.metadata.annotations;

    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(annotations).toMatchObject({
      'alb.ingress.kubernetes.io/scheme': 'internal',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/certificate-arn': EXAMPLE_OPTIONS.ingress!.certificateArn,
      'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'alb.ingress.kubernetes.io/healthcheck-path': '/ping',
    });
    expect(JSON.parse(annotations['alb.ingress.kubernetes.io/listen-ports'])).toEqual([{ HTTP: 80 }, { HTTPS: 443 }]);
    expect(ingress.spec.tls).toEqual([{ hosts: ['predict.example.com'] }]);
    const paths = ingress.spec.rules[0].http.paths;
    expect(paths.map((p: Json) => `${p.pathType} ${p.path}`)).toEqual(['Exact /predict', 'Exact /ping']);
    for (const path of paths) expect(path.backend).toEqual({ service: { name: byKind('Service').metadata.name, port: { name: 'http' } } });
  });

  it('is internal by default and internet-facing only for named source ranges (/predict has no per-request auth)', () => {
    expect(byKind('Ingress').metadata.annotations).not.toHaveProperty(['alb.ingress.kubernetes.io/inbound-cidrs']);
    const open = servingManifests({ ...EXAMPLE_OPTIONS, ingress: { ...EXAMPLE_OPTIONS.ingress!, inboundCidrs: ['203.0.113.0/24', '2001:db8::/32'] } });
    expect((open.find((m) => m.kind === 'Ingress') as Json).metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/inbound-cidrs': '203.0.113.0/24,2001:db8::/32',
    });
    const withCidrs = (inboundCidrs: string[]) => () => servingManifests({ ...EXAMPLE_OPTIONS, ingress: { ...EXAMPLE_OPTIONS.ingress!, inboundCidrs } });
    expect(withCidrs(['0.0.0.0/0'])).toThrow('ingress.inboundCidrs: "0.0.0.0/0" opens /predict, which has no per-request authentication, to the whole internet');
    expect(withCidrs(['::/0'])).toThrow('"::/0" opens /predict');
    expect(withCidrs(['office'])).toThrow('ingress.inboundCidrs: "office" is not a CIDR block: expected e.g. "203.0.113.0/24"');
    expect(withCidrs([])).toThrow('ingress.inboundCidrs must name at least one source range');
  });

  it('rejects an Ingress without an ACM certificate and an image that is not from ECR, naming the value', () => {
    expect(() => servingManifests({ ...EXAMPLE_OPTIONS, ingress: { certificateArn: 'my-cert' } })).toThrow('ingress.certificateArn must be an ACM certificate ARN, got "my-cert"');
    expect(() => servingManifests({ ...EXAMPLE_OPTIONS, image: 'pricesense:latest' })).toThrow('image must be an ECR image with a tag or digest');
  });

  it('sets CPU and memory requests and limits on every container', () => {
    for (const container of allContainers) {
      expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
    }
  });

  it('runs every container as non-root on a read-only root file system without privilege escalation', () => {
    expect(podSpec.securityContext.runAsNonRoot).toBe(true);
    for (const container of allContainers) {
      expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    }
  });

  it('gives the pods the IRSA role through the service account annotation', () => {
    const account = byKind('ServiceAccount');
    expect(account.metadata.annotations[IRSA_ROLE_ANNOTATION]).toBe(EXAMPLE_OPTIONS.roleArn);
    expect(podSpec.serviceAccountName).toBe(account.metadata.name);
  });

  it('reads the model URI from the pod-template annotation that PatchEksDeployment sets', () => {
    expect(deployment.spec.template.metadata.annotations).toHaveProperty([EKS_MODEL_URI_ANNOTATION]);
    for (const container of allContainers) {
      expect(container.env).toContainEqual({ name: MODEL_URI_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${EKS_MODEL_URI_ANNOTATION}']` } } });
    }
  });

  it('fetches the model from S3 into the volume the serving container reads /opt/ml/model from', () => {
    const fetch = podSpec.initContainers[0];
    expect(fetch.args[0]).toContain(`aws s3 cp "$${MODEL_URI_ENV}"`);
    expect(fetch.args[0]).toContain(`-C ${MODEL_DIR} && test -f ${MODEL_DIR}/xgboost-model`);
    expect(fetch.volumeMounts).toContainEqual({ name: 'model', mountPath: MODEL_DIR });
    expect(serving.volumeMounts).toContainEqual({ name: 'model', mountPath: MODEL_DIR, readOnly: true });
  });

  it('rolls out without taking serving capacity away', () => {
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
  });

  it('rejects a role that is not an IAM role ARN, naming the value', () => {
    expect(() => servingManifests({ roleArn: 'pricesense-role' })).toThrow('roleArn must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>), got "pricesense-role"');
  });

  it('matches the committed rendering in infra/eks/generated/serving.yaml (re-run infra/eks/render.ts)', () => {
    expect(readFileSync(GENERATED_YAML, 'utf8')).toBe(renderYaml(manifests));
  });
});
