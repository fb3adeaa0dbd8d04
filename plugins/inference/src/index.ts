/**
 * The Inference-in-a-Box frontend plugin (new frontend system).
 *
 * @packageDocumentation
 */
export { inferencePlugin as default } from './plugin';
export { inferenceApiRef } from './api';
