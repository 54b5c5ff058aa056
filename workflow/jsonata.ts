/**
 * Small helpers for writing JSONata into the definition. Strings wrapped in `{% %}` are
 * evaluated by Step Functions (and by the local interpreter); everything else is literal.
 */

export function jsonata(expression: string): string {
  return `{% ${expression} %}`;
}

/** A JSONata string literal (JSON escaping is valid JSONata). CDK tokens inside survive. */
export function literal(text: string): string {
  return JSON.stringify(text);
}

const RUN_ID_PLACEHOLDER = 'RUNIDPLACEHOLDER7f3a';

/**
 * Turns a layout function of `workflow/s3-layout.ts` (runId → key) into a JSONata expression
 * over the `run` variable, so the definition stays tied to the one layout contract.
 */
export function runPathExpression(layout: (runId: string) => string, runIdExpression = '$run.runId'): string {
  const pieces = layout(RUN_ID_PLACEHOLDER).split(RUN_ID_PLACEHOLDER);
  return pieces.map((piece) => literal(piece)).join(` & ${runIdExpression} & `);
}

/** Like runPathExpression for helpers that return a list of values (e.g. Athena parameters). */
export function runValueExpressions(values: (runId: string) => string[], runIdExpression = '$run.runId'): string[] {
  return values(RUN_ID_PLACEHOLDER).map((value) =>
    value.includes(RUN_ID_PLACEHOLDER) ? jsonata(runPathExpression(() => value, runIdExpression)) : value,
  );
}

/**
 * A JSONata expression for a response field AWS may leave out (e.g. DescribeEndpoint's
 * FailureReason, Kubernetes status counters that are omitted at zero). A `{% %}` field that
 * yields nothing fails the state with States.QueryEvaluationError, so absence becomes `fallback`.
 */
export function orDefault(expression: string, fallback = 'null'): string {
  return `($exists(${expression}) ? ${expression} : ${fallback})`;
}
