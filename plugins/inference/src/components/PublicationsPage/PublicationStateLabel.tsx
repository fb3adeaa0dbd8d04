import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import type { PublicationSummary } from '@inference-in-a-box/backstage-plugin-inference-common';
import { DriftedStatus } from '../DriftedStatus';

/**
 * Published; drifted (linking to the model's Endpoint tab when its catalog entity is known); or
 * failed / partial with the object that failed and why.
 */
export function PublicationStateLabel(props: {
  publication: PublicationSummary;
  /** The model's catalog entity, for the link of a drifted publication. */
  entityRef?: string;
}) {
  const { state, failure } = props.publication;
  const detail = failure
    ? `: ${failure.kind} ${failure.name}: ${failure.reason}`
    : '';
  if (state === 'published') return <StatusOK>Published</StatusOK>;
  if (state === 'drifted') return <DriftedStatus entityRef={props.entityRef} />;
  if (state === 'partial')
    return <StatusWarning>{`Partially applied${detail}`}</StatusWarning>;
  return <StatusError>{`Failed${detail}`}</StatusError>;
}
