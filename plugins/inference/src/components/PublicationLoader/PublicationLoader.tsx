import type { ReactNode } from 'react';
import { Progress } from '@backstage/core-components';
import type { PublicationSummary } from '@inference-in-a-box/backstage-plugin-inference-common';
import type { PublicationState } from '../../hooks/usePublication';
import { ApiErrorPanel } from '../ApiErrorPanel';

/**
 * Renders a view of the model's publication (undefined: not published) once it has been read: a
 * progress bar until the first answer, the backend's error if it cannot be read. The caller loads
 * it with usePublication, next to its other hooks, so the reads run side by side.
 */
export function PublicationLoader(props: {
  publication: PublicationState;
  /** Offers Retry under the error. */
  onRetry?: () => void;
  children: (current: PublicationSummary | undefined) => ReactNode;
}) {
  const { publication, onRetry, children } = props;
  if (publication.initialLoading) return <Progress />;
  if (publication.error) {
    return (
      <ApiErrorPanel
        error={publication.error}
        title="Could not load the publication"
        onRetry={onRetry}
      />
    );
  }
  return <>{children(publication.value)}</>;
}
