/**
 * Local Step Functions API (service 'sfn') over the local executions (local/execution-history), so the S3 trigger
 * Lambda (`tasks/start-execution.ts`) runs locally unchanged: StartExecution with a name that
 * exists fails with ExecutionAlreadyExists — which is how a duplicate S3 event starts nothing —
 * except for a running execution with identical input, which AWS answers idempotently.
 */
import { AwsServiceError, unsupportedAction, type AwsServiceEmulator } from './emulator.js';
import { EXECUTION_NAME, type ExecutionStore } from '../execution-history/execution-store.js';

export interface StepFunctionsEmulatorOptions {
  stateMachineArn: string;
  executions: ExecutionStore;
  /** Starts the execution (the runtime runs it in the background) and returns at once. */
  start: (name: string, input: unknown) => void;
}

export class StepFunctionsEmulator implements AwsServiceEmulator {
  readonly service = 'sfn';
  readonly actions = ['StartExecution', 'DescribeExecution'] as const;
  /** Started by this process and not yet written to the store. */
  private readonly starting = new Map<string, string>();

  constructor(private readonly options: StepFunctionsEmulatorOptions) {}

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (action === 'StartExecution') return this.startExecution(input);
    if (action === 'DescribeExecution') return this.describeExecution(input);
    throw unsupportedAction(this.service, action, this.actions);
  }

  private executionArn(name: string): string {
    return `${this.options.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  private startExecution(input: Record<string, unknown>): Record<string, unknown> {
    const arn = String(input.stateMachineArn ?? '');
    if (arn !== this.options.stateMachineArn) {
      throw new AwsServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    }
    const name = String(input.name ?? '');
    if (!EXECUTION_NAME.test(name)) {
      throw new AwsServiceError('InvalidName', `Invalid Name: '${name}' (1-80 characters of A-Z a-z 0-9 - _)`);
    }
    const text = typeof input.input === 'string' ? input.input : '{}';
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AwsServiceError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${text.slice(0, 100)}'`);
    }
    const pending = this.starting.get(name);
    const stored = this.options.executions.exists(name) ? this.options.executions.read(name) : undefined;
    const runningInput = pending ?? (stored?.status === 'RUNNING' ? stored.input : undefined);
    if (runningInput !== undefined && runningInput === text) {
      return { executionArn: this.executionArn(name), startDate: new Date(stored?.startDate ?? Date.now()) };
    }
    if (pending !== undefined || stored) {
      throw new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${this.executionArn(name)}'`);
    }
    this.starting.set(name, text);
    this.options.start(name, parsed);
    return { executionArn: this.executionArn(name), startDate: new Date() };
  }

  /** Called by the runtime once the execution's record is on disk. */
  started(name: string): void {
    this.starting.delete(name);
  }

  private describeExecution(input: Record<string, unknown>): Record<string, unknown> {
    const arn = String(input.executionArn ?? '');
    const name = arn.split(':').at(-1) ?? '';
    if (!EXECUTION_NAME.test(name) || !this.options.executions.exists(name)) {
      throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    }
    const execution = this.options.executions.read(name);
    return {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: new Date(execution.startDate),
      ...(execution.stopDate ? { stopDate: new Date(execution.stopDate) } : {}),
      input: execution.input,
      ...(execution.output !== undefined ? { output: execution.output } : {}),
      ...(execution.error !== undefined ? { error: execution.error } : {}),
      ...(execution.cause !== undefined ? { cause: execution.cause } : {}),
      redriveCount: execution.redriveCount,
    };
  }
}
