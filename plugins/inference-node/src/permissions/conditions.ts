import { createConditionExports } from '@backstage/plugin-permission-node';
import { inferenceModelResourceRef } from './resource';
import { inferenceModelRules } from './rules';

const conditionExports = createConditionExports({
  resourceRef: inferenceModelResourceRef,
  rules: inferenceModelRules,
});

/**
 * Condition factories for permission policies, e.g.
 * `inferenceModelConditions.isInUserTenants({ claims })`.
 * @public
 */
export const inferenceModelConditions = conditionExports.conditions;

/**
 * A conditional decision on inference models for permission policies:
 * `createInferenceModelConditionalDecision(permission, conditions)`.
 * @public
 */
export const createInferenceModelConditionalDecision =
  conditionExports.createConditionalDecision;
