import { useState } from 'react';
import { Progress, WarningPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import {
  inferenceModelKeysManagePermission,
  inferenceModelPublishPermission,
  type ModelLocator,
  type ModelType,
} from '@internal/backstage-plugin-inference-common';
import { useModelEntity } from '../../hooks/useModelEntity';
import { useModelPermission } from '../../hooks/useModelPermission';
import { usePublication } from '../../hooks/usePublication';
import { ApiErrorPanel } from '../ApiError';
import { ApiKeysCard } from '../ApiKeys';
import { PermittedButton } from '../PermittedButton';
import { PublishDialog } from '../PublishDialog';
import { SnippetsCard } from '../Snippets';
import { EndpointCard } from './EndpointCard';
import { NotPublishedCard } from './NotPublishedCard';
import { UnpublishDialog } from './UnpublishDialog';

function ModelEndpoint(props: {
  locator: ModelLocator;
  resourceRef: string;
  modelType?: ModelType;
}) {
  const { locator, resourceRef, modelType } = props;
  const publication = usePublication(locator);
  const publish = useModelPermission(
    inferenceModelPublishPermission,
    resourceRef,
    'publish this model',
  );
  const manageKeys = useModelPermission(
    inferenceModelKeysManagePermission,
    resourceRef,
    "manage this model's API keys",
  );
  const [dialog, setDialog] = useState<'publish' | 'unpublish'>();
  const close = () => setDialog(undefined);

  if (publication.initialLoading) return <Progress />;
  if (publication.error) {
    return (
      <Box>
        <ApiErrorPanel
          error={publication.error}
          title="Could not load the publication"
        />
        <Button onClick={publication.retry}>Retry</Button>
      </Box>
    );
  }
  const current = publication.value;
  return (
    <>
      {current ? (
        <Grid container spacing={3}>
          <Grid item xs={12} lg={6}>
            <EndpointCard
              publication={current}
              actions={
                <>
                  <PermittedButton
                    permission={publish}
                    variant="outlined"
                    onClick={() => setDialog('publish')}
                  >
                    Update publication
                  </PermittedButton>
                  <PermittedButton
                    permission={publish}
                    variant="outlined"
                    color="secondary"
                    onClick={() => setDialog('unpublish')}
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
              keys={current.apiKeys}
              permission={manageKeys}
              onChanged={publication.retry}
            />
          </Grid>
          <Grid item xs={12}>
            <SnippetsCard publication={current} />
          </Grid>
        </Grid>
      ) : (
        <NotPublishedCard
          permission={publish}
          onPublish={() => setDialog('publish')}
        />
      )}
      {dialog === 'publish' && (
        <PublishDialog
          open
          locator={locator}
          modelType={modelType}
          current={current}
          onClose={close}
          onPublished={publication.retry}
        />
      )}
      {dialog === 'unpublish' && (
        <UnpublishDialog
          locator={locator}
          onUnpublished={publication.retry}
          onClose={close}
        />
      )}
    </>
  );
}

/** The "Endpoint" tab of a model's entity page: publish, the endpoint, its keys and snippets. */
export function EndpointContent() {
  const model = useModelEntity();
  if (!model.locator) {
    return (
      <WarningPanel
        title="This model cannot be published from here"
        message={model.problem}
      />
    );
  }
  return (
    <ModelEndpoint
      locator={model.locator}
      resourceRef={model.resourceRef}
      modelType={model.modelType}
    />
  );
}
