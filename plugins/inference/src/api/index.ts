export { inferenceApiRef } from './inferenceApiRef';
