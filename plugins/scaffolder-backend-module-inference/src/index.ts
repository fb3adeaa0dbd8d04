/**
 * Scaffolder actions of the inference platform: create a model, publish it, and wait for it in the
 * catalog, through the inference backend on behalf of the user who runs the template.
 *
 * @packageDocumentation
 */
export { scaffolderModuleInference as default } from './module';
export { createModelAction } from './actions/createModel';
export { publishModelAction } from './actions/publishModel';
export { rolloutModelAction } from './actions/rolloutModel';
export { awaitModelEntityAction } from './actions/awaitModelEntity';
export type { InferenceActionDeps } from './actions/backend';
export type { AwaitModelEntityDeps } from './actions/awaitModelEntity';
