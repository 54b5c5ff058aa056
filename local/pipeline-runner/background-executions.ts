/**
 * Executions started through the local Step Functions API (StartExecution from a task Lambda,
 * e.g. the S3 trigger) rather than by a command. One queue per opened pipeline: they run one
 * after another, because a laptop has the cores for one pipeline at a time.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { ExecutionResult } from '../asl/index.js';
import type { LocalAws } from '../aws/registry.js';
import { StepFunctionsEmulator } from '../aws/sfn.js';
import type { ExecutionStore } from '../execution-history/execution-store.js';

export interface BackgroundListener {
  onEvent?: (executionName: string, event: HistoryEvent) => void;
  onDone?: (result: ExecutionResult) => void;
}

type RunExecution = (name: string, input: unknown, onEvent: (event: HistoryEvent) => void) => Promise<ExecutionResult>;

export class BackgroundExecutions {
  private readonly emulator: StepFunctionsEmulator;
  private readonly listeners = new Set<BackgroundListener>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(localAws: LocalAws, options: { stateMachineArn: string; executions: ExecutionStore; run: RunExecution }) {
    this.emulator = new StepFunctionsEmulator({
      stateMachineArn: options.stateMachineArn,
      executions: options.executions,
      start: (name, input) => {
        this.queue = this.queue.then(async () => {
          try {
            const result = await options.run(name, input, (event) => {
              for (const listener of this.listeners) listener.onEvent?.(name, event);
            });
            for (const listener of this.listeners) listener.onDone?.(result);
          } catch (error) {
            process.stderr.write(`Execution ${name} could not run: ${(error as Error).message}\n`);
          } finally {
            this.emulator.started(name);
          }
        });
      },
    });
    localAws.register(this.emulator);
  }

  /** Returns the function that stops listening. */
  subscribe(listener: BackgroundListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when every execution started so far has ended. */
  async idle(): Promise<void> {
    let current: Promise<unknown>;
    do {
      current = this.queue;
      await current;
    } while (current !== this.queue);
  }
}
