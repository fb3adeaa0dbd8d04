import Grid from '@material-ui/core/Grid';
import type {
  ModelLocator,
  PublicationSummary,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { ModelPermission } from '../../hooks/useModelPermission';
import { ApiKeysCard } from '../ApiKeysCard';
import { PermittedButton } from '../PermittedButton';
import { SnippetsCard } from '../SnippetsCard';
import { DriftPanel } from './DriftPanel';
import { EndpointCard } from './EndpointCard';

/**
 * A published model's Endpoint tab: whether it drifted from what was published, the endpoint with
 * update and unpublish, its keys, snippets.
 */
export function PublishedEndpoint(props: {
  locator: ModelLocator;
  publication: PublicationSummary;
  publish: ModelPermission;
  read: ModelPermission;
  manageKeys: ModelPermission;
  onUpdate: () => void;
  onUnpublish: () => void;
  onKeysChanged: () => void;
  /** Reloads the publication after a drift check or a reconcile. */
  onDriftChanged: () => void;
}) {
  const { locator, publication, publish, read, manageKeys } = props;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <DriftPanel
          locator={locator}
          publication={publication}
          publish={publish}
          read={read}
          onChanged={props.onDriftChanged}
        />
      </Grid>
      <Grid item xs={12} lg={6}>
        <EndpointCard
          publication={publication}
          actions={
            <>
              <PermittedButton
                permission={publish}
                variant="outlined"
                onClick={props.onUpdate}
              >
                Update publication
              </PermittedButton>
              <PermittedButton
                permission={publish}
                variant="outlined"
                color="secondary"
                onClick={props.onUnpublish}
              >
                Unpublish
              </PermittedButton>
            </>
          }
        />
      </Grid>
      <Grid item xs={12} lg={6}>
        <ApiKeysCard
          locator={locator}
          keys={publication.apiKeys}
          permission={manageKeys}
          onChanged={props.onKeysChanged}
        />
      </Grid>
      <Grid item xs={12}>
        <SnippetsCard publication={publication} />
      </Grid>
    </Grid>
  );
}
