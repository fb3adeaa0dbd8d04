import { Link, StatusWarning } from '@backstage/core-components';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';

/** The path of a model entity page's Endpoint tab (extensions/entity.tsx), where drift is shown. */
export const ENDPOINT_TAB_PATH = 'endpoint';

function DriftedLink(props: { entityRef: string }) {
  const entityLink = useEntityRefLink();
  const entityPage = entityLink(props.entityRef).replace(/\/$/, '');
  return (
    <Link
      to={`${entityPage}/${ENDPOINT_TAB_PATH}`}
      // The status text is aria-hidden inside Backstage's Status components: name the link here.
      aria-label="Drifted"
      title="Changed outside the portal: see the Endpoint tab"
    >
      <StatusWarning>Drifted</StatusWarning>
    </Link>
  );
}

/**
 * "Drifted": the publication's objects were changed outside the portal. With the model's catalog
 * entity it links to the entity's Endpoint tab, which shows the changes and offers Reconcile.
 */
export function DriftedStatus(props: { entityRef?: string }) {
  if (!props.entityRef) return <StatusWarning>Drifted</StatusWarning>;
  return <DriftedLink entityRef={props.entityRef} />;
}
