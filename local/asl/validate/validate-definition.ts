import type { QueryLanguage } from './definition-walk.js';
import { scopesOf, statesOf } from './definition-walk.js';
import { checkAslSchema } from './rules/asl-schema.js';
import { checkDuplicateStateNames } from './rules/duplicate-state-names.js';
import { checkExclusiveFields } from './rules/exclusive-fields.js';
import { checkIntrinsicExpressions } from './rules/intrinsic-expressions.js';
import { checkJsonataExpressions } from './rules/jsonata-expressions.js';
import { checkMapProcessorConfig } from './rules/map-processor-config.js';
import { checkPayloadTemplateFields } from './rules/payload-template-fields.js';
import { checkQueryLanguageFields } from './rules/query-language-fields.js';
import { checkReachability } from './rules/reachability.js';
import { checkRetryAndCatch } from './rules/retry-catch.js';
import { checkShape } from './rules/shape.js';
import { checkScopeCanEnd, checkTerminalState } from './rules/terminal-states.js';
import { checkTransitionTargets } from './rules/transitions.js';
import { checkUnsupportedFeatures } from './rules/unsupported-features.js';
import { checkVariableScopes } from './rules/variable-scopes.js';

/**
 * Rejects a definition that is not valid ASL or that the local interpreter cannot run, throwing
 * a DefinitionError whose message starts with the state path and field, e.g.
 * "States.TrainModel.Retry[0].ErrorEquals: States.ALL must appear alone in ErrorEquals".
 */
export function validateDefinition(definition: unknown): void {
  checkShape(definition);
  const visits = statesOf(definition);
  checkDuplicateStateNames(visits);
  const scopes = scopesOf(definition);
  for (const scope of scopes) checkTransitionTargets(scope);
  // A missing Next strands the states after it: name the cause before the unreachable states.
  for (const visit of visits) checkTerminalState(visit);
  for (const scope of scopes) {
    checkScopeCanEnd(scope);
    checkReachability(scope);
  }
  const topLevel: QueryLanguage = definition.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath';
  for (const visit of visits) {
    checkQueryLanguageFields(visit, topLevel);
    checkJsonataExpressions(visit);
    checkIntrinsicExpressions(visit);
    checkExclusiveFields(visit);
    checkPayloadTemplateFields(visit);
    checkRetryAndCatch(visit);
    checkMapProcessorConfig(visit);
    checkUnsupportedFeatures(visit);
  }
  checkVariableScopes(definition);
  checkAslSchema(definition);
}
