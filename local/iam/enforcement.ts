/**
 * IAM enforcement for one local pipeline: every call the run makes is authorized, as the
 * principal AWS would use, against the synthesized template's policies before an emulator sees it.
 *
 * - State machine role: the integrations' emulator calls (a LocalAws view handed to the task
 *   registry), `.sync` polling included, the Distributed Map ItemReader and child executions.
 * - Task Lambda roles: SDK calls of the handler (the SDK routing seam), the principal being the
 *   role of the function that is running (`AWS_LAMBDA_FUNCTION_NAME`, which the Lambda emulator
 *   sets for the invocation and never shares between functions).
 * - Service roles (SageMaker execution role, Glue job role): see service-roles.ts.
 */
import { randomBytes } from 'node:crypto';
import { TaskFailedError, type TaskHandler, type TaskRegistry } from '../asl/task-dispatch.js';
import type { LocalAws } from '../aws/registry.js';
import { setSdkCallAuthorizer } from '../aws/sdk-routing.js';
import { LOCAL_ACCOUNT, LOCAL_PARTITION, type LocalNames } from '../template/index.js';
import { IamAuthorizer, type AuthorizerStats, type Principal } from './authorizer.js';
import { requestsForCall, type CallEnvironment, type IamRequest } from './call-requests.js';
import { apiDenialError, IamAccessDeniedError, optimizedIntegrationFailure, sdkIntegrationFailure } from './denials.js';
import { accessEntriesOf, authorizeEksCall } from './eks-access.js';
import { ManagedRuleDeniedError, managedRuleRequests } from './managed-rules.js';
import { learnQueryWorkgroup } from './query-workgroups.js';
import { ServiceRoleChecks } from './service-roles.js';
import { loadTemplateIam, type TemplateIam } from './template-iam.js';

export interface IamEnforcementOptions {
  names: LocalNames;
  stateMachineArn: string;
  localAws: LocalAws;
  /** Keep simulation results on disk between runs (decision-cache.ts). @default false */
  persistDecisions?: boolean;
  /**
   * The keys of the objects under an S3 prefix, for the reads a service role makes (a Glue job
   * reading its input zone, a training job its channels). Keys only: listing through ListObjectsV2
   * computes the MD5 ETag of every object DuckDB or XGBoost wrote (0.2 s of a 2.67M-row run's
   * critical path for silver alone), and authorization needs none of them.
   * @default ListObjectsV2 through `localAws`
   */
  listObjectKeys?: (bucket: string, prefix: string) => Promise<string[]>;
}

const SERVICE_RESOURCE = /^arn:aws[a-z-]*:states:::(aws-sdk:)?([a-z0-9-]+):/;

export class IamEnforcement {
  readonly iam: TemplateIam;
  readonly authorizer: IamAuthorizer;
  readonly env: CallEnvironment;
  readonly stateMachinePrincipal: Principal;
  /** The emulators as the state machine's role sees them. */
  readonly stateMachineAws: LocalAws;
  private readonly serviceRoles: ServiceRoleChecks;

  get names(): LocalNames {
    return this.options.names;
  }

  constructor(private readonly options: IamEnforcementOptions) {
    this.iam = loadTemplateIam(options.names);
    this.authorizer = new IamAuthorizer(this.iam, LOCAL_ACCOUNT, { persist: options.persistDecisions ?? false });
    this.env = { iam: this.iam, region: this.iam.region, account: LOCAL_ACCOUNT, partition: LOCAL_PARTITION, queryWorkgroups: new Map() };
    const roleArn = this.iam.stateMachineRoles.get(options.stateMachineArn);
    if (!roleArn) throw new Error(`IAM enforcement: the template has no role for the state machine ${options.stateMachineArn}`);
    // Step Functions assumes the role with a random session name per execution; one per local process here.
    this.stateMachinePrincipal = { roleArn, sessionName: randomBytes(16).toString('hex') };
    this.serviceRoles = new ServiceRoleChecks(this, options.localAws, options.listObjectKeys);
    this.stateMachineAws = this.authorizedView(options.localAws, () => this.stateMachinePrincipal, this.serviceRoles);
  }

  /**
   * What AWS checks when the state machine is created: its role may create the managed rules its
   * `.sync` tasks need. Throws ManagedRuleDeniedError (AWS's CreateStateMachine error) otherwise.
   */
  async checkDeployment(definition: unknown): Promise<void> {
    const requests = managedRuleRequests(definition, (rule) => `arn:${this.env.partition}:events:${this.env.region}:${this.env.account}:rule/${rule}`);
    const denial = await this.authorizer.firstDenial(this.stateMachinePrincipal, requests);
    if (denial) throw new ManagedRuleDeniedError(this.stateMachinePrincipal.roleArn);
  }

  get stats(): AuthorizerStats {
    return this.authorizer.stats;
  }

  /** Throws the API's access-denied error when `principal` may not make the call. */
  async authorizeCall(principal: Principal, service: string, action: string, input: Record<string, unknown>): Promise<void> {
    await learnQueryWorkgroup(this.options.localAws, this.env, service, action, input);
    await this.authorizeRequests(principal, service, requestsForCall(service, action, input, this.env));
  }

  async authorizeRequests(principal: Principal, service: string, requests: readonly IamRequest[]): Promise<void> {
    const denial = await this.authorizer.firstDenial(principal, requests);
    if (!denial) return;
    const { code, status } = apiDenialError(service, denial.request.action.startsWith('kms:') && denial.request.via !== undefined);
    throw this.remember(new IamAccessDeniedError(service, code, status, denial.message));
  }

  /** A LocalAws whose `call` is authorized as `principal()` first. */
  authorizedView(localAws: LocalAws, principal: () => Principal, serviceRoles?: ServiceRoleChecks): LocalAws {
    const view = Object.create(localAws) as LocalAws;
    const eksAccess = accessEntriesOf(this.options.names);
    view.call = async (service: string, action: string, input: Record<string, unknown> = {}) => {
      await this.authorizeCall(principal(), service, action, input);
      if (service === 'eks' && action === 'Call') authorizeEksCall(eksAccess, principal(), input);
      if (serviceRoles) return serviceRoles.call(service, action, input);
      const output = await localAws.call(service, action, input);
      if (service === 'athena' && action === 'StartQueryExecution') this.env.queryWorkgroups.set(String(output.QueryExecutionId), String(input.WorkGroup ?? 'primary'));
      return output;
    };
    return view;
  }

  /**
   * Wraps the registry so a denied call fails the Task with the integration's error name and cause
   * (the emulator-level error is the API's; Step Functions reports it through its SDK client).
   */
  taskRegistry(inner: TaskRegistry): TaskRegistry {
    const wrapped = new Map<string, TaskHandler | undefined>();
    return {
      handlerFor: (target) => {
        if (!wrapped.has(target.resource)) {
          const handler = inner.handlerFor(target);
          wrapped.set(target.resource, handler && this.renamingDenials(target.resource, handler));
        }
        return wrapped.get(target.resource);
      },
      authorizeChildExecutions: async ({ stateMachineArn }) => {
        try {
          await this.authorizeRequests(this.stateMachinePrincipal, 'sfn', [{ action: 'states:StartExecution', resource: stateMachineArn }]);
          return undefined;
        } catch (error) {
          if (!(error instanceof IamAccessDeniedError)) throw error;
          return { error: 'States.Runtime', cause: `The Map Run could not start child executions: ${error.message}` };
        }
      },
    };
  }

  private renamingDenials(resource: string, handler: TaskHandler): TaskHandler {
    const match = SERVICE_RESOURCE.exec(resource);
    const sdk = match?.[1] !== undefined;
    const service = match?.[2] ?? 'lambda';
    return async (invocation) => {
      try {
        return await handler(invocation);
      } catch (error) {
        const denial = error instanceof TaskFailedError ? this.lastDenials.get(error.cause ?? '') : undefined;
        if (!denial) throw error;
        const failure = sdk ? sdkIntegrationFailure(service, denial) : optimizedIntegrationFailure(service, denial);
        throw new TaskFailedError(failure.error, failure.cause);
      }
    };
  }

  /** Denials by message, so the registry wrapper can recognise the TaskFailedError an integration made of one. */
  readonly lastDenials = new Map<string, IamAccessDeniedError>();

  /** For the SDK routing seam: authorizes as the role of the Lambda function that is running. */
  readonly sdkAuthorizer = async (serviceId: string, action: string, input: Record<string, unknown>): Promise<void> => {
    const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;
    if (functionName === undefined) return; // not inside a task Lambda (the CLI itself, `serve`)
    const roleArn = this.iam.functionRoles.get(functionName);
    if (!roleArn) return; // a function the template does not define (a test's own handler)
    await this.authorizeCall({ roleArn, sessionName: functionName }, serviceId, action, input);
  };

  /** Routes the task Lambdas' SDK calls through this enforcement (one pipeline per process at a time). */
  install(): void {
    setSdkCallAuthorizer(this.sdkAuthorizer);
  }

  static uninstall(): void {
    setSdkCallAuthorizer(undefined);
  }

  remember(denial: IamAccessDeniedError): IamAccessDeniedError {
    if (this.lastDenials.size > 1000) this.lastDenials.clear();
    this.lastDenials.set(denial.message, denial);
    return denial;
  }
}
