export { ApiErrorPanel } from './ApiErrorPanel';
export { FormErrorPanel } from './FormErrorPanel';
export {
  describeError,
  fieldErrorsFromMessage,
  hasUnshownDetails,
} from './describeError';
export type { ClusterCause, ErrorDescription } from './describeError';
