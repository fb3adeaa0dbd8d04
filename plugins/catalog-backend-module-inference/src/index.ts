/**
 * Catalog module of the inference platform: an entity provider that turns the InferenceServices
 * of the tenant namespaces into model Components, and their publications into API entities.
 *
 * @packageDocumentation
 */
export { catalogModuleInference as default } from './module';
export { InferenceEntityProvider } from './provider/InferenceEntityProvider';
export type { WarmUpOptions } from './provider/InferenceEntityProvider';
export type { EntitySource } from './provider/createEntitySource';
