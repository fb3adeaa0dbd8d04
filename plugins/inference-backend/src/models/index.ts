export {
  buildInferenceService,
  ANNOTATION_DEPLOYMENT_MODE,
} from './buildInferenceService';
export { summarizeInferenceService } from './summarizeInferenceService';
export type { ObservedReplicas } from './summarizeInferenceService';
export type * from './types';
