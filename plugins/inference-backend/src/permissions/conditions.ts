import { createConditionExports } from '@backstage/plugin-permission-node';
import { inferenceModelResourceRef } from './resource';
import { inferenceModelRules } from './rules';

/**
 * Condition factories for permission policies: `inferenceModelConditions.isInUserTenants({ claims })`
 * and `createInferenceModelConditionalDecision(permission, conditions)`.
 * @public
 */
export const {
  conditions: inferenceModelConditions,
  createConditionalDecision: createInferenceModelConditionalDecision,
} = createConditionExports({
  resourceRef: inferenceModelResourceRef,
  rules: inferenceModelRules,
});
