import { evaluateChoiceRule } from '../choice-rules.js';
import type { ChoiceRule } from '../definition.js';
import { applyInputPath } from '../data-flow/state-io.js';
import { StatesErrorName } from '../errors/error-names.js';
import { StatesError } from '../errors/states-error.js';
import type { StateFrame } from '../state-frame.js';
import type { StateOutcome } from '../state-runner.js';

/**
 * Choice: the first matching rule's Next (and its Assign/Output), else Default (with the state's
 * own Assign/Output), else States.NoChoiceMatched.
 */
export async function executeChoiceState(frame: StateFrame): Promise<StateOutcome> {
  const { state, name } = frame;
  const effectiveInput = frame.isJsonata ? frame.rawInput : applyInputPath(frame.pathScope(frame.rawInput), state.InputPath);
  for (const rule of state.Choices ?? []) {
    if (await ruleMatches(frame, rule, effectiveInput)) {
      const finished = await frame.finishWithoutResult(effectiveInput, rule.Assign, rule.Output);
      return { ...finished, next: rule.Next };
    }
  }
  if (state.Default !== undefined) {
    const finished = await frame.finishWithoutResult(effectiveInput);
    return { ...finished, next: state.Default };
  }
  throw new StatesError(StatesErrorName.NoChoiceMatched, `No Matches! The Choice state '${name}' has no rule matching its input and no Default`);
}

async function ruleMatches(frame: StateFrame, rule: ChoiceRule, effectiveInput: unknown): Promise<boolean> {
  if (!frame.isJsonata) return evaluateChoiceRule(rule, frame.pathScope(effectiveInput), frame.name);
  const condition = typeof rule.Condition === 'boolean' ? rule.Condition : await frame.jsonata(rule.Condition, 'Condition');
  if (typeof condition !== 'boolean') {
    throw new StatesError(
      StatesErrorName.QueryEvaluationError,
      `The Condition of a rule in Choice state '${frame.name}' must evaluate to a boolean, but returned ${JSON.stringify(condition)}`,
    );
  }
  return condition;
}
