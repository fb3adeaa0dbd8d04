import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import type { PublicationSummary } from '@internal/backstage-plugin-inference-common';

/** Published, or failed / partial with the object that failed and why. */
export function PublicationStateLabel(props: {
  publication: PublicationSummary;
}) {
  const { state, failure } = props.publication;
  const detail = failure
    ? `: ${failure.kind} ${failure.name}: ${failure.reason}`
    : '';
  if (state === 'published') return <StatusOK>Published</StatusOK>;
  if (state === 'partial')
    return <StatusWarning>{`Partially applied${detail}`}</StatusWarning>;
  return <StatusError>{`Failed${detail}`}</StatusError>;
}
