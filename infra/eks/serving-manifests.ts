/**
 * Kubernetes manifests of the EKS serving option, as code: the SageMaker XGBoost 1.7 serving
 * container (the image SageMaker endpoints run, `serve` on port 8080 with /ping and /invocations)
 * whose model an init container fetches from S3 with the pod's IRSA role, plus its Service, HPA
 * and PodDisruptionBudget.
 *
 * The rollout contract with the workflow (workflow/pipeline-definition.ts buildEksRollout): the
 * PatchEksDeployment state patches the pod-template annotation EKS_MODEL_URI_ANNOTATION of
 * `<eks.namespace>/<eks.deploymentName>`; both containers read it through the downward API as
 * MODEL_DATA_URL, so a patch is a rolling update onto the new model. Readiness on /ping plus
 * maxUnavailable 0 keeps serving capacity through it.
 */
import { DEFAULT_CONFIG } from '../../workflow/config.js';
import { EKS_MODEL_PACKAGE_ANNOTATION, EKS_MODEL_URI_ANNOTATION } from '../../workflow/pipeline-definition.js';
import { xgboostImageUri } from '../../workflow/xgboost-image.js';

export const SERVING_CONTAINER = 'xgboost';
export const MODEL_FETCH_CONTAINER = 'fetch-model';
export const MODEL_URI_ENV = 'MODEL_DATA_URL';
export const SERVING_PORT = 8080;
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';
/** AWS CLI v2 image; pinned so a rollout never changes the fetcher. */
export const AWS_CLI_IMAGE = 'public.ecr.aws/aws-cli/aws-cli:2.17.0';

export interface ServingManifestOptions {
  /** Role the pods assume through IRSA: needs s3:GetObject (and kms:Decrypt) on the model archives. */
  roleArn: string;
  /** Region of the XGBoost image and the model bucket. @default 'us-east-1' */
  region?: string;
  /** Model served until the first rollout patches the annotation. @default '' (pods wait in init) */
  initialModelDataUrl?: string;
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
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'model-serving', 'app.kubernetes.io/part-of': 'pricesense' };
  const selector = { 'app.kubernetes.io/name': name };
  const modelUriEnv = { name: MODEL_URI_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${EKS_MODEL_URI_ANNOTATION}']` } } };
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
      spec: {
        replicas: minReplicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: {
            labels,
            annotations: { [EKS_MODEL_URI_ANNOTATION]: options.initialModelDataUrl ?? '', [EKS_MODEL_PACKAGE_ANNOTATION]: '' },
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
              {
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
      },
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
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas,
        maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: options.targetCpuPercent ?? 70 } } }],
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace, labels },
      spec: { minAvailable: 1, selector: { matchLabels: selector } },
    },
  ];
}

/** Multi-document YAML (each document in JSON flow style, which is valid YAML 1.2) for `kubectl apply -f`. */
export function renderYaml(manifests: readonly Manifest[]): string {
  return `${manifests.map((manifest) => `---\n${JSON.stringify(manifest, null, 2)}\n`).join('')}`;
}

/** Example values used for the committed rendering in infra/eks/generated/. */
export const EXAMPLE_OPTIONS: ServingManifestOptions = {
  roleArn: 'arn:aws:iam::123456789012:role/pricesense-serving-irsa',
  region: 'us-east-1',
};
