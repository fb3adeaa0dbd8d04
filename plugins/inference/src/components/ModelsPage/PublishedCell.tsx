import type { PublicationLookup } from '../../hooks/usePublicationsOf';
import { DriftedStatus } from '../DriftedStatus';
import type { ModelRow } from './modelRows';

/**
 * The published column: Yes or No, or Drifted (linking to the model's Endpoint tab) when the live
 * listing or the publication the table loaded for the row says its objects were changed outside
 * the portal.
 */
export function PublishedCell(props: {
  row: ModelRow;
  lookup: PublicationLookup | undefined;
}) {
  const { row, lookup } = props;
  if (!row.published) return <>No</>;
  const drifted =
    row.publicationState === 'drifted' ||
    (lookup?.state === 'loaded' && lookup.publication?.state === 'drifted');
  if (drifted) return <DriftedStatus entityRef={row.entityRef} />;
  return <>Yes</>;
}
