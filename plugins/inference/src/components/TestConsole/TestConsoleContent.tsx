import { useMemo } from 'react';
import { Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  inferenceModelTestPermission,
  type ModelLocator,
  type ModelType,
} from '@internal/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import { useModelEntity } from '../../hooks/useModelEntity';
import { useModelPermission } from '../../hooks/useModelPermission';
import { usePublication } from '../../hooks/usePublication';
import { ApiErrorPanel } from '../ApiError';
import { streamingInvocationSource } from './invocationSource';
import { TestConsole } from './TestConsole';

function ModelTestConsole(props: {
  locator: ModelLocator;
  resourceRef: string;
  modelType?: ModelType;
}) {
  const { locator, resourceRef } = props;
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
  if (publication.initialLoading) return <Progress />;
  if (publication.error) {
    return (
      <ApiErrorPanel
        error={publication.error}
        title="Could not load the publication"
      />
    );
  }
  const current = publication.value;
  let gatewayHint: string | undefined;
  if (!current) {
    gatewayHint = 'Publish the model to test it through the gateway.';
  } else if (current.apiKeys.length === 0) {
    gatewayHint =
      'Create an API key on the Endpoint tab to test through the gateway.';
  }
  return (
    <TestConsole
      // A new publication or key changes the defaults (target, model name): start over.
      key={`${current?.publicModelName ?? ''}:${current?.apiKeys.length ?? 0}`}
      modelType={current?.modelType ?? props.modelType}
      requestModelName={current?.publicModelName ?? locator.name}
      gatewayReady={gatewayHint === undefined}
      gatewayHint={gatewayHint}
      permission={permission}
      source={source}
    />
  );
}

/** The "Test" tab of a model's entity page. */
export function TestConsoleContent() {
  const model = useModelEntity();
  if (!model.locator) {
    return (
      <WarningPanel
        title="This model cannot be tested from here"
        message={model.problem}
      />
    );
  }
  return (
    <ModelTestConsole
      locator={model.locator}
      resourceRef={model.resourceRef}
      modelType={model.modelType}
    />
  );
}
