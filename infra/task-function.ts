/**
 * A pricesense task Lambda: the handler tasks/<name>.ts bundled as ESM for nodejs22.x on arm64,
 * active tracing, its own KMS-encrypted log group (`<id>Logs`, one month), a KMS-encrypted
 * environment carrying the service name and metrics namespace, in the private network's subnets
 * when there is one, with the cdk-nag acknowledgements every task function shares.
 *
 * The log group is created beside the function, in the same scope, so both keep the logical IDs
 * of the deployed stack when that scope is the stack.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, type aws_kms as kms, aws_lambda as lambda, aws_lambda_nodejs as nodejs, aws_logs as logs } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { TaskFunction as TaskFunctionName } from '../workflow/resource-names.js';
import { METRICS_NAMESPACE, TaskEnv } from '../workflow/task-environment.js';
import { acknowledgeFindings, acknowledgeRule } from './nag-acknowledgements.js';
import type { PrivateNetwork } from './network/private-network.js';
import { REPO_ROOT, taskEntry } from './project-paths.js';

/** What every task function of a stack shares. */
export interface TaskFunctionDefaults {
  /** Encrypts the environment and the log group. */
  key: kms.IKey;
  /** Folder of the task handlers (`<name>.ts`). */
  tasksDir: string;
  network?: PrivateNetwork;
}

export interface TaskFunctionProps extends TaskFunctionDefaults {
  name: TaskFunctionName;
  environment: Record<string, string>;
  /** @default Duration.minutes(1) */
  timeout?: Duration;
  /** @default 512 */
  memorySize?: number;
}

export class TaskFunction extends nodejs.NodejsFunction {
  constructor(scope: Construct, id: string, props: TaskFunctionProps) {
    const entry = taskEntry(props.name, props.tasksDir);
    if (!existsSync(entry)) throw new Error(`The task handler ${entry} does not exist: the ${props.name} function needs it.`);
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH, encryptionKey: props.key, removalPolicy: RemovalPolicy.DESTROY });
    super(scope, id, {
      entry,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.minutes(1),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      environmentEncryption: props.key,
      environment: { [TaskEnv.ServiceName]: props.name, [TaskEnv.MetricsNamespace]: METRICS_NAMESPACE, ...props.environment },
      ...(props.network?.functionPlacement ?? {}),
      bundling: {
        forceDockerBundling: false,
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        // ESM bundles of CommonJS dependencies still call require().
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      },
    });
    props.network?.acknowledgeFunction(this);
    acknowledgeRule(this, 'AwsSolutions-L1', 'nodejs22.x is the runtime the project targets (current LTS line on Lambda); upgraded deliberately, not automatically.');
    acknowledgeRule(this, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'CDK attaches AWSLambdaBasicExecutionRole for log delivery only; the function logs to its own KMS-encrypted log group.');
    acknowledgeFindings(this, {
      'Resource::*': 'xray:PutTraceSegments/PutTelemetryRecords (active tracing) and cloudwatch:PutMetricData (namespace-limited) have no resource-level permissions',
    });
  }
}
