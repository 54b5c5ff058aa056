/**
 * Kubernetes manifests of the EKS serving option, as code. With `image` (the pricesense serving
 * image from the Dockerfile, pushed to the ECR repository `pricesense-serving`) the pods run
 * `pricesense serve --aws` — /predict, /ping, /invocations, /metrics — behind an ALB Ingress (AWS
 * Load Balancer Controller, TLS), scaled by CPU and by requests per pod: the model from the
 * archive the init container extracted, its reference prices from the gold run its package names,
 * customer history from the Feature Store online store, inferences into DynamoDB. Without it, the
 * SageMaker XGBoost 1.7 serving
 * container (the image SageMaker endpoints run, `serve` on port 8080 with /ping and /invocations)
 * whose model an init container fetches from S3 with the pod's IRSA role, plus its Service, HPA
 * and PodDisruptionBudget.
 *
 * The rollout contract with the workflow (workflow/stages/eks-rollout.ts buildEksRollout): the
 * PatchEksDeployment state patches the pod-template annotation EKS_MODEL_URI_ANNOTATION of
 * `<eks.namespace>/<eks.deploymentName>`; both containers read it through the downward API as
 * MODEL_DATA_URL, so a patch is a rolling update onto the new model. The serving image also reads
 * EKS_MODEL_PACKAGE_ANNOTATION (the registered version of that model) as
 * PRICESENSE_MODEL_PACKAGE_ARN. Readiness on /ping plus
 * maxUnavailable 0 keeps serving capacity through it.
 */
import { DEFAULT_CONFIG } from '../../workflow/config.js';
import { EKS_MODEL_PACKAGE_ANNOTATION, EKS_MODEL_URI_ANNOTATION } from '../../workflow/pipeline-definition.js';
import { xgboostImageUri } from '../../workflow/xgboost-image.js';
import { CUSTOMER_FEATURE_GROUP } from '../../workflow/resource-names.js';
import type { DeploymentSpec } from 'kubernetes-types/apps/v1.d.ts';
import type { HorizontalPodAutoscalerSpec } from 'kubernetes-types/autoscaling/v2.d.ts';
import type { IngressSpec } from 'kubernetes-types/networking/v1.d.ts';

export const SERVING_CONTAINER = 'xgboost';
export const MODEL_FETCH_CONTAINER = 'fetch-model';
export const MODEL_URI_ENV = 'MODEL_DATA_URL';
export const SERVING_PORT = 8080;
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';
/** Container of the pricesense serving image. */
export const PREDICT_CONTAINER = 'predict';
/** Per-pod rate the HPA reads through a custom-metrics adapter (Prometheus adapter rule over pricesense_http_requests_total). */
export const REQUESTS_METRIC = 'pricesense_http_requests_per_second';
/** Where the init container extracts model.tar.gz and `pricesense serve --aws` reads `xgboost-model`. */
export const MODEL_DIR = '/opt/ml/model';
/**
 * Arguments of the serving image (its Dockerfile CMD), given explicitly so the manifest shows the
 * mode and the binding: AWS mode, and all interfaces (the server binds 127.0.0.1 unless told).
 */
export const PREDICT_ARGS = ['--aws', '--host', '0.0.0.0', '--port', String(SERVING_PORT)];
/** AWS CLI v2 image; pinned so a rollout never changes the fetcher. */
export const AWS_CLI_IMAGE = 'public.ecr.aws/aws-cli/aws-cli:2.17.0';

export interface ServingManifestOptions {
  /** Role the pods assume through IRSA: needs s3:GetObject (and kms:Decrypt) on the model archives. */
  roleArn: string;
  /** Region of the XGBoost image and the model bucket. @default 'us-east-1' */
  region?: string;
  /** Model served until the first rollout patches the annotation. @default '' (pods wait in init) */
  initialModelDataUrl?: string;
  /** Registered package of that model (the image needs it for the reference prices). @default '' */
  initialModelPackageArn?: string;
  /** @default DEFAULT_CONFIG.eks.namespace */
  namespace?: string;
  /** @default DEFAULT_CONFIG.eks.deploymentName */
  deploymentName?: string;
  /** @default 2 */
  minReplicas?: number;
  /** @default 10 */
  maxReplicas?: number;
  /** HPA target average CPU utilisation, percent of requests. @default 70 */
  targetCpuPercent?: number;
  /** The pricesense serving image (`<account>.dkr.ecr.<region>.amazonaws.com/pricesense-serving:<tag>`). @default - the SageMaker XGBoost serving container (model only, no /predict) */
  image?: string;
  /** HPA target of /predict requests per second per pod (needs a custom-metrics adapter; with `image` only). @default 50 */
  targetRequestsPerSecond?: number;
  /**
   * HTTPS entry through the AWS Load Balancer Controller (with `image` only). The ALB is internal
   * (reachable from the VPC and what is peered with it) unless `inboundCidrs` is given: /predict has
   * no per-request authentication, so an internet-facing ALB is only made for named source ranges.
   * @default - no Ingress
   */
  ingress?: { certificateArn: string; host?: string; inboundCidrs?: string[] };
  /** Feature group and inference-log table the serving app uses. @default the stack's names */
  featureGroupName?: string;
  /** @default '' - no inference log */
  inferenceTableName?: string;
  /** Gold bucket of the reference prices (stack output ServingGoldBucketName); required with `image`. */
  goldBucketName?: string;
}

export type Manifest = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } };

export function servingManifests(options: ServingManifestOptions): Manifest[] {
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(options.roleArn)) {
    throw new Error(`roleArn must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>), got ${JSON.stringify(options.roleArn)}`);
  }
  const namespace = options.namespace ?? DEFAULT_CONFIG.eks.namespace;
  const name = options.deploymentName ?? DEFAULT_CONFIG.eks.deploymentName;
  const minReplicas = options.minReplicas ?? 2;
  const maxReplicas = options.maxReplicas ?? 10;
  if (!Number.isInteger(minReplicas) || minReplicas < 2 || !Number.isInteger(maxReplicas) || maxReplicas < minReplicas) {
    throw new Error(`replicas: expected whole numbers with 2 <= minReplicas <= maxReplicas (a PodDisruptionBudget of 1 needs 2 pods), got ${minReplicas}..${maxReplicas}`);
  }
  if (options.image !== undefined && !/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$/.test(options.image)) {
    throw new Error(`image must be an ECR image with a tag or digest (<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>), got ${JSON.stringify(options.image)}`);
  }
  if (options.ingress && !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/.test(options.ingress.certificateArn)) {
    throw new Error(`ingress.certificateArn must be an ACM certificate ARN, got ${JSON.stringify(options.ingress.certificateArn)}`);
  }
  if (options.ingress?.inboundCidrs !== undefined) checkInboundCidrs(options.ingress.inboundCidrs);
  if (options.ingress && options.image === undefined) throw new Error('ingress needs image: the Ingress exposes /predict of the pricesense serving image');
  if (options.image !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.goldBucketName ?? '')) {
    throw new Error(`goldBucketName must be the gold bucket's name (stack output ServingGoldBucketName) with image: the server reads the model's reference prices there, got ${JSON.stringify(options.goldBucketName)}`);
  }
  const predict = options.image !== undefined;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'model-serving', 'app.kubernetes.io/part-of': 'pricesense' };
  const selector = { 'app.kubernetes.io/name': name };
  const modelUriEnv = { name: MODEL_URI_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${EKS_MODEL_URI_ANNOTATION}']` } } };
  const modelPackageEnv = { name: 'PRICESENSE_MODEL_PACKAGE_ARN', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${EKS_MODEL_PACKAGE_ANNOTATION}']` } } };
  const securityContext = {
    runAsNonRoot: true,
    runAsUser: 1000,
    runAsGroup: 1000,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
  const probe = (initialDelaySeconds: number, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path: '/ping', port: SERVING_PORT },
    initialDelaySeconds,
    periodSeconds,
    timeoutSeconds: 2,
    failureThreshold,
  });

  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'app.kubernetes.io/part-of': 'pricesense' } } },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace, labels, annotations: { [IRSA_ROLE_ANNOTATION]: options.roleArn, 'eks.amazonaws.com/sts-regional-endpoints': 'true' } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels },
      spec: deploymentSpec({
        replicas: minReplicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: {
            labels,
            annotations: { [EKS_MODEL_URI_ANNOTATION]: options.initialModelDataUrl ?? '', [EKS_MODEL_PACKAGE_ANNOTATION]: options.initialModelPackageArn ?? '' },
          },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: true,
            securityContext: { runAsNonRoot: true, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            terminationGracePeriodSeconds: 30,
            initContainers: [
              {
                name: MODEL_FETCH_CONTAINER,
                image: AWS_CLI_IMAGE,
                command: ['/bin/sh', '-ec'],
                // Until the first rollout sets the annotation there is nothing to serve: wait, do not crash-loop.
                args: [
                  `while [ -z "$${MODEL_URI_ENV}" ]; do echo "waiting for the ${EKS_MODEL_URI_ANNOTATION} annotation"; sleep 30; done; aws s3 cp "$${MODEL_URI_ENV}" /tmp/model.tar.gz && tar -xzf /tmp/model.tar.gz -C /opt/ml/model && test -f /opt/ml/model/xgboost-model`,
                ],
                env: [modelUriEnv, { name: 'AWS_REGION', value: options.region ?? 'us-east-1' }],
                securityContext,
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
                volumeMounts: [
                  { name: 'model', mountPath: '/opt/ml/model' },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            containers: [
              predict
                ? {
                    name: PREDICT_CONTAINER,
                    image: options.image,
                    args: PREDICT_ARGS,
                    ports: [{ name: 'http', containerPort: SERVING_PORT, protocol: 'TCP' }],
                    // What `pricesense serve --aws` reads (local/serving/aws/serve-config.ts); it keeps no state on disk.
                    env: [
                      modelUriEnv,
                      modelPackageEnv,
                      { name: 'AWS_REGION', value: options.region ?? 'us-east-1' },
                      { name: 'PRICESENSE_MODEL_DIR', value: MODEL_DIR },
                      { name: 'PRICESENSE_GOLD_BUCKET', value: options.goldBucketName ?? '' },
                      { name: 'PRICESENSE_FEATURE_GROUP', value: options.featureGroupName ?? CUSTOMER_FEATURE_GROUP },
                      { name: 'PRICESENSE_INFERENCE_TABLE', value: options.inferenceTableName ?? '' },
                    ],
                    readinessProbe: probe(5, 5, 3),
                    livenessProbe: probe(30, 10, 6),
                    securityContext,
                    resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
                    volumeMounts: [
                      { name: 'model', mountPath: MODEL_DIR, readOnly: true },
                      { name: 'tmp', mountPath: '/tmp' },
                    ],
                  }
                : {
                    name: SERVING_CONTAINER,
                    image: xgboostImageUri(options.region ?? 'us-east-1'),
                    args: ['serve'],
                    ports: [{ name: 'http', containerPort: SERVING_PORT, protocol: 'TCP' }],
                    env: [modelUriEnv, { name: 'SAGEMAKER_BIND_TO_PORT', value: String(SERVING_PORT) }],
                    readinessProbe: probe(5, 5, 3),
                    livenessProbe: probe(30, 10, 6),
                    securityContext,
                    resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
                    volumeMounts: [
                      { name: 'model', mountPath: '/opt/ml/model', readOnly: true },
                      { name: 'tmp', mountPath: '/tmp' },
                    ],
                  },
            ],
            volumes: [
              { name: 'model', emptyDir: { sizeLimit: '1Gi' } },
              { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
            ],
          },
        },
      }),
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels },
      spec: { type: 'ClusterIP', selector, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name, namespace, labels },
      spec: hpaSpec({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas,
        maxReplicas,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: options.targetCpuPercent ?? 70 } } },
          ...(predict
            ? [{ type: 'Pods', pods: { metric: { name: REQUESTS_METRIC }, target: { type: 'AverageValue', averageValue: String(options.targetRequestsPerSecond ?? 50) } } }]
            : []),
        ],
      }),
    },
    ...(options.ingress ? [ingressManifest(name, namespace, labels, options.ingress)] : []),
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace, labels },
      spec: { minAvailable: 1, selector: { matchLabels: selector } },
    },
  ];
}

/**
 * ALB Ingress for the AWS Load Balancer Controller: HTTPS only (HTTP redirected), a TLS policy
 * without TLS 1.0/1.1, IP targets (pods directly), health checks on /ping, and only /predict,
 * /ping exposed — /invocations and /metrics stay inside the cluster.
 */
function ingressManifest(name: string, namespace: string, labels: Record<string, string>, ingress: NonNullable<ServingManifestOptions['ingress']>): Manifest {
  const backend = { service: { name, port: { name: 'http' } } };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name,
      namespace,
      labels,
      annotations: {
        ...(ingress.inboundCidrs
          ? { 'alb.ingress.kubernetes.io/scheme': 'internet-facing', 'alb.ingress.kubernetes.io/inbound-cidrs': ingress.inboundCidrs.join(',') }
          : { 'alb.ingress.kubernetes.io/scheme': 'internal' }),
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
        'alb.ingress.kubernetes.io/ssl-redirect': '443',
        'alb.ingress.kubernetes.io/certificate-arn': ingress.certificateArn,
        'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        'alb.ingress.kubernetes.io/healthcheck-path': '/ping',
        'alb.ingress.kubernetes.io/healthcheck-port': 'traffic-port',
        'alb.ingress.kubernetes.io/success-codes': '200',
        'alb.ingress.kubernetes.io/load-balancer-attributes': 'routing.http.drop_invalid_header_fields.enabled=true',
      },
    },
    spec: ingressSpec({
      ingressClassName: 'alb',
      ...(ingress.host ? { tls: [{ hosts: [ingress.host] }] } : {}),
      rules: [
        {
          ...(ingress.host ? { host: ingress.host } : {}),
          http: {
            paths: [
              { path: '/predict', pathType: 'Exact', backend },
              { path: '/ping', pathType: 'Exact', backend },
            ],
          },
        },
      ],
    }),
  };
}

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/([0-9]|[12]\d|3[0-2])$/;
const IPV6_CIDR = /^[0-9a-fA-F:]+\/([0-9]|[1-9]\d|1[01]\d|12[0-8])$/;

/** An internet-facing /predict is opened to named ranges only, never to the whole internet. */
function checkInboundCidrs(cidrs: string[]): void {
  if (cidrs.length === 0) throw new Error('ingress.inboundCidrs must name at least one source range (CIDR) for an internet-facing ALB; leave it out for an internal ALB');
  for (const cidr of cidrs) {
    if (!IPV4_CIDR.test(cidr) && !(cidr.includes(':') && IPV6_CIDR.test(cidr))) {
      throw new Error(`ingress.inboundCidrs: ${JSON.stringify(cidr)} is not a CIDR block: expected e.g. "203.0.113.0/24"`);
    }
    if (/\/0$/.test(cidr)) {
      throw new Error(`ingress.inboundCidrs: ${JSON.stringify(cidr)} opens /predict, which has no per-request authentication, to the whole internet: name the clients' ranges, or put an authenticating front (API Gateway, CloudFront with AWS WAF) before an internal ALB`);
    }
  }
}

/** Type-checked against the Kubernetes API types (kubernetes-types, dev only): a misspelt field fails tsc. */
const ingressSpec = (spec: IngressSpec): IngressSpec => spec;
const hpaSpec = (spec: HorizontalPodAutoscalerSpec): HorizontalPodAutoscalerSpec => spec;
const deploymentSpec = (spec: DeploymentSpec): DeploymentSpec => spec;

/** Multi-document YAML (each document in JSON flow style, which is valid YAML 1.2) for `kubectl apply -f`. */
export function renderYaml(manifests: readonly Manifest[]): string {
  return `${manifests.map((manifest) => `---\n${JSON.stringify(manifest, null, 2)}\n`).join('')}`;
}

/** Example values used for the committed rendering in infra/eks/generated/. */
export const EXAMPLE_OPTIONS: ServingManifestOptions = {
  roleArn: 'arn:aws:iam::123456789012:role/pricesense-serving',
  region: 'us-east-1',
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/pricesense-serving:0.1.0',
  ingress: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000', host: 'predict.example.com' },
  inferenceTableName: 'pricesense-inference-log',
  goldBucketName: 'pricesense-goldbucket-example',
};
