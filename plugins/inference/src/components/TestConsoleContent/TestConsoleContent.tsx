import { useMemo } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  inferenceModelTestPermission,
  type PublicationSummary,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import type { ModelEntity } from '../../hooks/useModelEntity';
import { useModelPermission } from '../../hooks/useModelPermission';
import { usePublication } from '../../hooks/usePublication';
import { ModelEntityGate } from '../ModelEntityGate';
import { PublicationLoader } from '../PublicationLoader';
import { streamingInvocationSource } from './invocationSource';
import { TestConsole } from './TestConsole';

/** Whether the gateway can be used (published, with a key), and if not, what to do about it. */
function gatewayState(publication: PublicationSummary | undefined): {
  gatewayReady: boolean;
  gatewayHint?: string;
} {
  if (!publication) {
    return {
      gatewayReady: false,
      gatewayHint: 'Publish the model to test it through the gateway.',
    };
  }
  if (publication.apiKeys.length === 0) {
    return {
      gatewayReady: false,
      gatewayHint:
        'Create an API key on the Endpoint tab to test through the gateway.',
    };
  }
  return { gatewayReady: true };
}

function ModelTestConsole(props: { model: ModelEntity }) {
  const { locator, resourceRef, modelType } = props.model;
  const api = useApi(inferenceApiRef);
  const publication = usePublication(locator);
  const permission = useModelPermission(
    inferenceModelTestPermission,
    resourceRef,
    'test this model',
  );
  const source = useMemo(
    () => streamingInvocationSource(api, locator),
    [api, locator],
  );
  return (
    <PublicationLoader publication={publication}>
      {current => (
        <TestConsole
          // A new publication or key changes the defaults (target, model name): start over.
          key={`${current?.publicModelName ?? ''}:${
            current?.apiKeys.length ?? 0
          }`}
          modelType={current?.modelType ?? modelType}
          requestModelName={current?.publicModelName ?? locator.name}
          {...gatewayState(current)}
          apiKeys={current?.apiKeys}
          permission={permission}
          source={source}
        />
      )}
    </PublicationLoader>
  );
}

/** The "Test" tab of a model's entity page. */
export function TestConsoleContent() {
  return (
    <ModelEntityGate unavailableTitle="This model cannot be tested from here">
      {model => <ModelTestConsole model={model} />}
    </ModelEntityGate>
  );
}
