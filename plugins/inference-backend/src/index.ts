export { inferencePlugin as default } from './plugin';
