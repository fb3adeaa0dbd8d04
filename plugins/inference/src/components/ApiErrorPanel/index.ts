export { ApiErrorPanel } from './ApiErrorPanel';
export {
  describeError,
  fieldErrorsFromMessage,
  hasUnshownDetails,
} from './describeError';
export type { ClusterCause, ErrorDescription } from './describeError';
