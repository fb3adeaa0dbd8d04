export { InferenceClient } from './InferenceClient';
export type { InferenceClientOptions } from './InferenceClient';
export type * from './types';
