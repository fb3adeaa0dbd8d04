export { RolloutContent } from './RolloutContent';
