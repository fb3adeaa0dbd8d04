/**
 * The inference backend plugin, the permission conditions a policy needs to grant tenant
 * members their tenants' models, and the notification of a publication's owners.
 *
 * @packageDocumentation
 */
export { inferencePlugin as default } from './plugin';
export {
  inferenceModelConditions,
  createInferenceModelConditionalDecision,
} from './permissions/conditions';
export type { InferenceModelResource } from './permissions/resource';
export { notifyPublicationOwners } from './notifications/notifyPublicationOwners';
export type { PublicationOwnersMessage } from './notifications/notifyPublicationOwners';
