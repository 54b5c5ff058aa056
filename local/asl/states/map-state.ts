import { batchItems } from '../item-batcher.js';
import { itemsFromReaderResponse } from '../item-reader.js';
import { applyInputPath, applyPayloadTemplate, resolvePathValue } from '../data-flow/state-io.js';
import { StatesErrorName } from '../errors/error-names.js';
import { StatesError } from '../errors/states-error.js';
import { StateFailure } from '../errors/state-failure.js';
import { isJsonataTemplate, jsonataSource, jsonTypeName } from '../data-flow/jsonata.js';
import { HistoryRecorder, jsonText, notTruncated } from '../history/history-recorder.js';
import type { ChildExecutionRecord, MapRunRecord, RunContext } from '../run-context.js';
import type { StateFrame, StateOutput } from '../state-frame.js';
import { runStates, type StateMachineBody, type StateOutcome } from '../state-runner.js';
import { takeRedriveReuse, type RedriveReuse } from '../redrive-reuse.js';
import { invokeTaskHandler } from '../task-invocation.js';
import { childThread, runBounded } from '../threads.js';
import { VariableScope } from '../variables.js';
import { runWithRetryAndCatch } from './error-handling.js';

/** Inline Map runs at most this many iterations at once when MaxConcurrency is 0 (AWS: 40). */
const DEFAULT_CONCURRENCY = 40;

/**
 * Map: runs the ItemProcessor (or legacy Iterator) once per item. INLINE iterations write their
 * events into this history; DISTRIBUTED ones run as child executions of a Map Run.
 */
export function executeMapState(frame: StateFrame): Promise<StateOutcome> {
  return runWithRetryAndCatch(frame, () => attemptMap(frame));
}

function processorOf(frame: StateFrame): StateMachineBody & { ProcessorConfig?: { Mode?: string } } {
  const processor = frame.state.ItemProcessor ?? frame.state.Iterator;
  if (!processor) throw new StatesError(StatesErrorName.Runtime, `Map state '${frame.name}' has no ItemProcessor`);
  return processor;
}

async function attemptMap(frame: StateFrame): Promise<StateOutput> {
  const { state, name } = frame;
  const processor = processorOf(frame);
  const distributed = processor.ProcessorConfig?.Mode === 'DISTRIBUTED';
  const effectiveInput = frame.isJsonata ? frame.rawInput : applyInputPath(frame.pathScope(frame.rawInput), state.InputPath);
  const items = state.ItemReader ? await readItems(frame, effectiveInput) : await inlineItems(frame, effectiveInput);
  const selected = await selectItems(frame, items, effectiveInput);
  const maxConcurrency = (await frame.numberField('MaxConcurrency', state.MaxConcurrency, state.MaxConcurrencyPath, effectiveInput)) ?? 0;
  const limit = maxConcurrency > 0 ? maxConcurrency : DEFAULT_CONCURRENCY;
  // AWS evaluates and checks the thresholds on an inline Map too, though only a Map Run applies them.
  const tolerated = await toleratedFailures(frame, effectiveInput);
  // Taken right before MapStateStarted: a redrive's first MapStateStarted is the attempt that kept results.
  const takeReuse = (): RedriveReuse | undefined => takeRedriveReuse(frame.thread.redriveReuse, name);
  const results = distributed
    ? await runDistributed(frame, processor, await batchIfConfigured(frame, selected, effectiveInput), limit, tolerated, takeReuse)
    : await runInline(frame, processor, selected, limit, takeReuse());
  return frame.finishWithResult(results);
}

interface ToleratedFailures {
  count: number | undefined;
  percent: number | undefined;
}

async function toleratedFailures(frame: StateFrame, effectiveInput: unknown): Promise<ToleratedFailures> {
  const { state } = frame;
  const count = await frame.numberField('ToleratedFailureCount', state.ToleratedFailureCount, state.ToleratedFailureCountPath, effectiveInput);
  if (count !== undefined && count < 0) throw new StateFailure(StatesErrorName.Runtime, 'ToleratedFailureCount cannot be negative.');
  const percent = await frame.numberField(
    'ToleratedFailurePercentage',
    state.ToleratedFailurePercentage,
    state.ToleratedFailurePercentagePath,
    effectiveInput,
    'float',
  );
  if (percent !== undefined && (percent < 0 || percent > 100)) {
    throw new StateFailure(StatesErrorName.Runtime, 'ToleratedFailurePercentage must be between 0 and 100.');
  }
  return { count, percent };
}

async function inlineItems(frame: StateFrame, effectiveInput: unknown): Promise<unknown[]> {
  const { state } = frame;
  if (frame.isJsonata && typeof state.Items === 'string' && isJsonataTemplate(state.Items)) {
    const items = await frame.jsonata(state.Items, 'Items');
    if (!Array.isArray(items)) {
      throw new StateFailure(
        StatesErrorName.QueryEvaluationError,
        `The JSONata expression '${jsonataSource(state.Items)}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${jsonTypeName(items)}' for value: ${JSON.stringify(items)}`,
      );
    }
    return items;
  }
  let items: unknown;
  if (frame.isJsonata) items = state.Items === undefined ? frame.rawInput : await frame.jsonata(state.Items, 'Items');
  else items = state.ItemsPath === undefined ? effectiveInput : resolvePathValue(state.ItemsPath, frame.pathScope(effectiveInput));
  if (!Array.isArray(items)) {
    throw new StateFailure(StatesErrorName.QueryEvaluationError, `Map state input must be an array but was: ${JSON.stringify(items)}`);
  }
  return items;
}

/** ItemSelector (or legacy Parameters) per item, with `$$.Map.Item` set; else the item itself. */
async function selectItems(frame: StateFrame, items: unknown[], effectiveInput: unknown): Promise<unknown[]> {
  const selector = frame.state.ItemSelector ?? (frame.isJsonata ? undefined : frame.state.Parameters);
  if (selector === undefined) return items;
  const selected: unknown[] = [];
  try {
    for (let index = 0; index < items.length; index++) {
      frame.mapItem = { Index: index, Value: items[index] };
      selected.push(
        frame.isJsonata
          ? await frame.jsonata(selector, 'ItemSelector')
          : applyPayloadTemplate(selector, frame.pathScope(effectiveInput), 'ItemSelector'),
      );
    }
  } finally {
    frame.mapItem = undefined;
  }
  return selected;
}

/** A redrive keeps the iterations that succeeded before (only when the item count is unchanged). */
function keptResult(reuse: RedriveReuse | undefined, index: number, count: number): { value: unknown } | undefined {
  if (!reuse || !reuse.results.has(index) || (reuse.results.size > 0 && Math.max(...reuse.results.keys()) >= count)) return undefined;
  return { value: reuse.results.get(index) };
}

async function runInline(frame: StateFrame, processor: StateMachineBody, items: unknown[], limit: number, reuse?: RedriveReuse): Promise<unknown[]> {
  const { thread, name } = frame;
  const { history } = thread.run;
  const started = history.append(thread.cursor, 'MapStateStarted', { mapStateStartedEventDetails: { length: items.length } });
  const control = new AbortController();
  const signal = AbortSignal.any([thread.signal, control.signal]);
  try {
    const results = await runBounded(items.length, limit, control, async (index) => {
      const kept = keptResult(reuse, index, items.length);
      if (kept) return kept.value;
      // Each iteration on its own signal that follows the Map's (see runChildExecution).
      const iteration = { ...childThread(thread, started.id, AbortSignal.any([signal])), mapIndexPath: [...(thread.mapIndexPath ?? []), index] };
      const details = { name, index };
      history.append(iteration.cursor, 'MapIterationStarted', { mapIterationStartedEventDetails: details });
      try {
        const output = await runStates(processor, items[index], iteration);
        history.append(iteration.cursor, 'MapIterationSucceeded', { mapIterationSucceededEventDetails: details });
        return output;
      } catch (error) {
        if (error instanceof StatesError) history.append(iteration.cursor, 'MapIterationFailed', { mapIterationFailedEventDetails: details });
        else if (signal.aborted) history.append(iteration.cursor, 'MapIterationAborted', { mapIterationAbortedEventDetails: details });
        throw error;
      }
    });
    history.append(thread.cursor, 'MapStateSucceeded');
    return results;
  } catch (error) {
    if (error instanceof StatesError) history.append(thread.cursor, 'MapStateFailed');
    throw error;
  }
}

async function readItems(frame: StateFrame, effectiveInput: unknown): Promise<unknown[]> {
  const { thread, name } = frame;
  const reader = frame.state.ItemReader!;
  const { run } = thread;
  const parameters = frame.isJsonata
    ? reader.Arguments === undefined ? {} : await frame.jsonata(reader.Arguments, 'ItemReader.Arguments')
    : applyPayloadTemplate(reader.Parameters ?? {}, frame.pathScope(effectiveInput), 'ItemReader.Parameters');
  const maxItems = await frame.numberField('MaxItems', reader.ReaderConfig?.MaxItems, reader.ReaderConfig?.MaxItemsPath, effectiveInput);
  const handler = run.tasks.handlerFor({ stateName: name, resource: reader.Resource });
  if (!handler) {
    throw new StatesError(
      StatesErrorName.Runtime,
      `No task handler is registered for the ItemReader of Map state '${name}' with Resource '${reader.Resource}'`,
    );
  }
  let response: unknown;
  try {
    response = await invokeTaskHandler(
      handler,
      { stateName: name, resource: reader.Resource, parameters, context: frame.context(), attempt: 0 },
      { clock: run.clock, signal: thread.signal, onSubmitted: () => undefined },
    );
  } catch (error) {
    if (!(error instanceof StatesError)) throw error;
    throw new StatesError(StatesErrorName.ItemReaderFailed, `The ItemReader of Map state '${name}' failed: ${error.error}: ${error.cause}`);
  }
  return itemsFromReaderResponse(name, reader, response, maxItems);
}

async function batchIfConfigured(frame: StateFrame, items: unknown[], effectiveInput: unknown): Promise<unknown[]> {
  const batcher = frame.state.ItemBatcher;
  if (!batcher) return items;
  const maxItems = await frame.numberField('MaxItemsPerBatch', batcher.MaxItemsPerBatch, batcher.MaxItemsPerBatchPath, effectiveInput);
  const maxBytes = await frame.numberField('MaxInputBytesPerBatch', batcher.MaxInputBytesPerBatch, batcher.MaxInputBytesPerBatchPath, effectiveInput);
  let batchInput: unknown;
  if (batcher.BatchInput !== undefined) {
    batchInput = frame.isJsonata
      ? await frame.jsonata(batcher.BatchInput, 'ItemBatcher.BatchInput')
      : applyPayloadTemplate(batcher.BatchInput, frame.pathScope(effectiveInput), 'ItemBatcher.BatchInput');
  }
  return batchItems(items, {
    ...(maxItems !== undefined ? { maxItems } : {}),
    ...(maxBytes !== undefined ? { maxBytes } : {}),
    ...(batchInput !== undefined ? { batchInput } : {}),
  });
}

/**
 * Distributed: each item (or batch) runs as a child execution with its own history. Failures are
 * tolerated up to ToleratedFailureCount / ToleratedFailurePercentage (default: none); a failed
 * child contributes its `{Error, Cause}` to the result array.
 */
async function runDistributed(
  frame: StateFrame,
  processor: StateMachineBody,
  items: unknown[],
  limit: number,
  tolerated: ToleratedFailures,
  takeReuse: () => RedriveReuse | undefined,
): Promise<unknown[]> {
  const { thread, name, state } = frame;
  const { run } = thread;
  const label = state.Label ?? name;
  // Hook for IAM enforcement (local/iam): the role must be allowed to start the child executions.
  const refused = await run.tasks.authorizeChildExecutions?.({ stateName: name, stateMachineArn: run.stateMachineArn });
  if (refused) throw new StatesError(refused.error, refused.cause);
  // A redrive continues the earlier Map Run (same ARN) and re-runs only its unsuccessful children.
  const reuse = takeReuse();
  const redrivenRun = reuse?.mapRun;
  const mapRunArn =
    redrivenRun?.mapRunArn ??
    run.contextOverrides?.mapRunArn?.(name) ??
    `arn:aws:states:${run.region}:${run.account}:mapRun:${run.stateMachine.Name}/${label}:${run.newId()}`;
  const record: MapRunRecord = { mapRunArn, stateName: name, status: 'RUNNING', executions: [] };
  run.mapRuns.push(record);
  run.history.append(thread.cursor, 'MapStateStarted', { mapStateStartedEventDetails: { length: items.length } });
  if (redrivenRun) {
    run.history.append(thread.cursor, 'MapRunRedriven', { mapRunRedrivenEventDetails: { mapRunArn, redriveCount: run.execution.RedriveCount } });
  } else {
    run.history.append(thread.cursor, 'MapRunStarted', { mapRunStartedEventDetails: { mapRunArn } });
  }

  const { count: toleratedCount, percent: toleratedPercent } = tolerated;
  const control = new AbortController();
  let results: ChildExecutionRecord[];
  try {
    results = await runBounded(items.length, limit, control, async (index) => {
      const kept = keptResult(reuse, index, items.length) ? redrivenRun?.succeededChildren.get(index) : undefined;
      if (kept) {
        record.executions.push(kept);
        return kept;
      }
      const child = await runChildExecution(run, thread.signal, processor, items[index], index, mapRunArn, name);
      record.executions.push(child);
      return child;
    });
  } catch (error) {
    // Stopped from outside by its Parallel branch: the Map Run ends ABORTED, as DescribeMapRun and
    // the history show it on AWS, instead of staying RUNNING. When the whole execution stops,
    // runExecution has written the closing event and marked the record: nothing may follow it.
    if (thread.signal.aborted && !run.signal.aborted && record.status === 'RUNNING') {
      record.status = 'ABORTED';
      run.history.append(thread.cursor, 'MapRunAborted');
    }
    throw error;
  }
  const failed = results.filter((child) => child.status === 'FAILED');
  // Each threshold that is set is a limit on its own: breaching either fails the Map Run; with
  // neither set, no failure is tolerated.
  const failedPercent = (failed.length / Math.max(1, items.length)) * 100;
  const exceeded =
    failed.length > 0 &&
    ((toleratedCount !== undefined && failed.length > toleratedCount) ||
      (toleratedPercent !== undefined && failedPercent > toleratedPercent) ||
      (toleratedCount === undefined && toleratedPercent === undefined));
  if (exceeded) {
    const error = new StatesError(StatesErrorName.ExceedToleratedFailureThreshold, 'The specified tolerated failure threshold was exceeded');
    record.status = 'FAILED';
    run.history.append(thread.cursor, 'MapRunFailed', { mapRunFailedEventDetails: { error: error.error, cause: error.cause } });
    run.history.append(thread.cursor, 'MapStateFailed');
    throw error;
  }
  record.status = 'SUCCEEDED';
  run.history.append(thread.cursor, 'MapRunSucceeded');
  run.history.append(thread.cursor, 'MapStateSucceeded');
  return results.map((child) => (child.status === 'SUCCEEDED' ? child.output : { Error: child.error, Cause: child.cause }));
}

async function runChildExecution(
  parent: RunContext,
  signal: AbortSignal,
  processor: StateMachineBody,
  input: unknown,
  index: number,
  mapRunArn: string,
  stateName: string,
): Promise<ChildExecutionRecord> {
  const fixed = parent.contextOverrides?.mapChild?.(stateName, index);
  const childName = fixed?.name ?? parent.newId();
  const startDate = fixed?.startTime ?? parent.clock.now();
  const history = new HistoryRecorder(parent.clock);
  const run: RunContext = {
    ...parent,
    history,
    execution: {
      ...parent.execution,
      Id: `${mapRunArn.replace(':mapRun:', ':execution:')}:${childName}`,
      Name: childName,
      Input: input,
      StartTime: startDate.toISOString(),
    },
  };
  const cursor = { lastEventId: 0 };
  history.append(cursor, 'ExecutionStarted', {
    executionStartedEventDetails: { input: jsonText(input), inputDetails: notTruncated, roleArn: parent.execution.RoleArn },
  });
  // Its own signal, following the Map's: each running task listens on its execution's signal, and
  // MaxConcurrency children sharing one passed Node's 10-listener warning (seen at 26.7M rows).
  const thread = { run, cursor, variables: new VariableScope(), signal: AbortSignal.any([signal]), mapIndexPath: [index] };
  try {
    const output = await runStates(processor, input, thread);
    history.append(cursor, 'ExecutionSucceeded', { executionSucceededEventDetails: { output: jsonText(output), outputDetails: notTruncated } });
    return { name: childName, index, startDate, status: 'SUCCEEDED', input, output, history: history.events };
  } catch (error) {
    if (!(error instanceof StatesError)) throw error;
    history.append(cursor, 'ExecutionFailed', { executionFailedEventDetails: { error: error.error, cause: error.cause } });
    return { name: childName, index, startDate, status: 'FAILED', input, error: error.error, cause: error.cause, history: history.events };
  }
}
