import { useState } from 'react';
import {
  inferenceModelKeysManagePermission,
  inferenceModelPublishPermission,
  inferenceModelReadPermission,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { ModelEntity } from '../../hooks/useModelEntity';
import { useModelPermission } from '../../hooks/useModelPermission';
import { usePublication } from '../../hooks/usePublication';
import { ModelEntityGate } from '../ModelEntityGate';
import { PublicationLoader } from '../PublicationLoader';
import { PublishDialog } from '../PublishDialog';
import { NotPublishedCard } from './NotPublishedCard';
import { PublishedEndpoint } from './PublishedEndpoint';
import { UnpublishDialog } from './UnpublishDialog';

function ModelEndpoint(props: { model: ModelEntity }) {
  const { locator, resourceRef, modelType } = props.model;
  const publication = usePublication(locator);
  const publish = useModelPermission(
    inferenceModelPublishPermission,
    resourceRef,
    'publish this model',
  );
  const read = useModelPermission(
    inferenceModelReadPermission,
    resourceRef,
    'read this model',
  );
  const manageKeys = useModelPermission(
    inferenceModelKeysManagePermission,
    resourceRef,
    "manage this model's API keys",
  );
  const [dialog, setDialog] = useState<'publish' | 'unpublish'>();
  const close = () => setDialog(undefined);

  return (
    <PublicationLoader publication={publication} onRetry={publication.retry}>
      {current => (
        <>
          {current ? (
            <PublishedEndpoint
              locator={locator}
              publication={current}
              publish={publish}
              read={read}
              manageKeys={manageKeys}
              onUpdate={() => setDialog('publish')}
              onUnpublish={() => setDialog('unpublish')}
              onKeysChanged={publication.retry}
              onDriftChanged={publication.retry}
            />
          ) : (
            <NotPublishedCard
              permission={publish}
              onPublish={() => setDialog('publish')}
            />
          )}
          {dialog === 'publish' && (
            <PublishDialog
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
      )}
    </PublicationLoader>
  );
}

/** The "Endpoint" tab of a model's entity page: publish, the endpoint, its keys and snippets. */
export function EndpointContent() {
  return (
    <ModelEntityGate unavailableTitle="This model cannot be published from here">
      {model => <ModelEndpoint model={model} />}
    </ModelEntityGate>
  );
}
