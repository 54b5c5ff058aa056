/**
 * Retry and catch policies of every Task. Only errors that heal by themselves are retried
 * (throttling, service faults, concurrency limits), with capped exponential backoff and full
 * jitter; errors that will not heal (bad input, data-quality or metric gate, validation) are
 * never retried and go straight to NotifyFailure with the failed state's name kept.
 */
import { Duration, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { TransientErrors, StateName } from './names.js';
import { jsonata } from './jsonata.js';

export interface RetryPolicy {
  errors: readonly string[];
  /** First wait. */
  interval: Duration;
  maxAttempts: number;
  /** Cap of one wait, so backoff never grows past it. */
  maxDelay: Duration;
}

const BACKOFF_RATE = 2;
const GLUE_CONCURRENT_RUNS_EXCEEDED = 'Glue.ConcurrentRunsExceededException';

/**
 * Expected total wait of a retry policy with full jitter, in seconds: each wait is uniform in
 * [0, min(interval * 2^n, maxDelay)], so the expectation is half the sum of the caps.
 */
export function expectedRetryWindowSeconds(policy: RetryPolicy): number {
  let total = 0;
  for (let attempt = 0; attempt < policy.maxAttempts; attempt += 1) {
    total += Math.min(policy.interval.toSeconds() * BACKOFF_RATE ** attempt, policy.maxDelay.toSeconds()) / 2;
  }
  return total;
}

export const RetryPolicies = {
  lambda: { errors: TransientErrors.lambda, interval: Duration.seconds(2), maxAttempts: 6, maxDelay: Duration.seconds(60) },
  /** Glue service faults and throttling heal within minutes. */
  glue: { errors: TransientErrors.glue.filter((error) => error !== GLUE_CONCURRENT_RUNS_EXCEEDED), interval: Duration.seconds(30), maxAttempts: 6, maxDelay: Duration.minutes(5) },
  /**
   * ConcurrentRunsExceeded heals only when a running job run ends, which can take as long as the
   * job's timeout (config.glue.timeoutMinutes, 60 by default): two files landing together must
   * both finish. With full jitter the expected total wait is half the sum of the capped delays,
   * about 87 minutes here (retryWindowSeconds); test/workflow/retry-window.test.ts keeps it above
   * the Glue timeout.
   */
  glueConcurrentRuns: { errors: [GLUE_CONCURRENT_RUNS_EXCEEDED], interval: Duration.seconds(60), maxAttempts: 20, maxDelay: Duration.minutes(10) },
  sageMaker: { errors: TransientErrors.sageMaker, interval: Duration.seconds(10), maxAttempts: 5, maxDelay: Duration.minutes(2) },
  /**
   * The optimized SageMaker integrations (createTrainingJob.sync, createModel, createTransformJob.sync)
   * report throttling only as the generic SageMaker.AmazonSageMakerException, which validation errors
   * share: retried twice, briefly, so throttling heals and a bad request fails within seconds.
   */
  sageMakerGeneric: { errors: ['SageMaker.AmazonSageMakerException'], interval: Duration.seconds(5), maxAttempts: 2, maxDelay: Duration.seconds(20) },
  /**
   * The same for the aws-sdk SageMaker integrations, where an error the SDK does not model (as
   * throttling may be) arrives as SageMaker.SageMakerException.
   */
  sageMakerSdkGeneric: { errors: ['SageMaker.SageMakerException'], interval: Duration.seconds(5), maxAttempts: 2, maxDelay: Duration.seconds(20) },
  /**
   * SageMaker calls whose "not found" answer is meaningful (FindEndpoint): the generic
   * AmazonSageMakerException is what a missing endpoint raises, so only throttling is retried.
   */
  sageMakerLookup: {
    errors: ['SageMaker.ThrottlingException', 'SageMaker.ServiceUnavailable', 'SageMaker.InternalFailure'],
    interval: Duration.seconds(5),
    maxAttempts: 5,
    maxDelay: Duration.seconds(60),
  },
  athena: { errors: TransientErrors.athena, interval: Duration.seconds(5), maxAttempts: 5, maxDelay: Duration.seconds(60) },
  sns: { errors: TransientErrors.sns, interval: Duration.seconds(2), maxAttempts: 5, maxDelay: Duration.seconds(30) },
  /** ConcurrentUpdate heals once the endpoint's previous scaling change settles. */
  applicationAutoScaling: { errors: TransientErrors.applicationAutoScaling, interval: Duration.seconds(10), maxAttempts: 6, maxDelay: Duration.minutes(2) },
  eks: { errors: TransientErrors.eks, interval: Duration.seconds(5), maxAttempts: 5, maxDelay: Duration.seconds(60) },
} as const satisfies Record<string, RetryPolicy>;

export type RetryPolicyName = keyof typeof RetryPolicies;

export function retryProps(policy: RetryPolicy): sfn.RetryProps {
  return {
    errors: [...policy.errors],
    interval: policy.interval,
    maxAttempts: policy.maxAttempts,
    maxDelay: policy.maxDelay,
    backoffRate: BACKOFF_RATE,
    jitterStrategy: sfn.JitterType.FULL,
  };
}

/** The variable every Catch fills, read by NotifyFailure and PipelineFailed. */
export const FAILURE_VARIABLE = 'failure';

/**
 * The variable a Catch inside a Parallel branch fills instead, read by the branch's Fail state
 * (workflow/stages/ingest-and-train.ts). A branch's variables are its own and never reach the
 * outer states, so the record leaves the branch in the Fail state's cause; the name differs from
 * FAILURE_VARIABLE so that no branch state assigns a name the top level also assigns.
 */
export const BRANCH_FAILURE_VARIABLE = 'branchFailure';

export interface FailureRecord {
  state: string;
  error: string;
  cause: string;
}

/** Longest cause kept for NotifyFailure and PipelineFailed (SNS takes 256 KB, a state 256 KiB). */
export const MAX_CAUSE_CHARS = 4000;

/**
 * The cause a Catch keeps: a Lambda error's cause is the runtime's JSON
 * `{"errorType","errorMessage","trace"}`; only its message is kept (operators get the sentence,
 * not a stack trace), and any cause is cut to MAX_CAUSE_CHARS with a marker. A Fail state or Map
 * failure can leave Cause out (null).
 */
export const BOUNDED_CAUSE = `(
  $c := $states.errorOutput.Cause;
  $p := $type($c) = 'string' and $substring($c, 0, 14) = '{"errorType":"' and $substring($c, -1) = '}' and $contains($c, '"errorMessage":')
    ? $parse($c).errorMessage;
  $m := $type($p) = 'string' ? $p : $c;
  $exists($m) ? ($type($m) = 'string' and $length($m) > ${MAX_CAUSE_CHARS}
    ? $substring($m, 0, ${MAX_CAUSE_CHARS}) & '… (cause cut from ' & $string($length($m)) & ' characters)' : $m) : null
)`.replace(/\s*\n\s*/g, ' ');

/** Catch props that keep the failed state, error and cause in the `failure` variable (or `variable`). */
export function catchToFailure(stateName: StateName | string, variable: string = FAILURE_VARIABLE): sfn.CatchProps {
  return {
    errors: [sfn.Errors.ALL],
    assign: {
      [variable]: {
        state: stateName,
        error: jsonata('$states.errorOutput.Error'),
        cause: jsonata(BOUNDED_CAUSE),
      },
    },
  };
}

type Retriable = { addRetry(props: sfn.RetryProps): unknown; addCatch(handler: sfn.IChainable, props: sfn.CatchProps): unknown };

/**
 * Applies the state's retry policy and the catch-all to NotifyFailure (inside a Parallel branch:
 * to the branch's Fail state, recording in `failureVariable`).
 */
export function guard<T extends Retriable>(state: T, stateName: string, policy: RetryPolicy, notifyFailure: sfn.IChainable, failureVariable: string = FAILURE_VARIABLE): T {
  state.addRetry(retryProps(policy));
  state.addCatch(notifyFailure, catchToFailure(stateName, failureVariable));
  return state;
}
