/**
 * The inference backend plugin, and the permission conditions a policy needs to grant tenant
 * members their tenants' models.
 *
 * @packageDocumentation
 */
export { inferencePlugin as default } from './plugin';
export {
  inferenceModelConditions,
  createInferenceModelConditionalDecision,
} from './permissions/conditions';
export type { InferenceModelResource } from './permissions/resource';
