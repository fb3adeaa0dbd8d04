import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  InfoCard,
  Progress,
  StatusError,
  StatusOK,
  StructuredMetadataTable,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import type {
  ModelLocator,
  ModelStatus,
} from '@internal/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import { useModelEntity } from '../../hooks/useModelEntity';
import { ApiErrorPanel } from '../ApiError';
import { ConditionsTable } from './ConditionsTable';

function formatReplicas(replicas: ModelStatus['replicas']): string {
  const current =
    replicas.ready !== undefined
      ? `${replicas.ready} ready${
          replicas.desired !== undefined ? ` of ${replicas.desired}` : ''
        }`
      : 'unknown';
  return `${current} (scales ${replicas.min} to ${replicas.max})`;
}

function StatusDetails(props: { locator: ModelLocator }) {
  const api = useApi(inferenceApiRef);
  const { cluster, namespace, name } = props.locator;
  const { loading, error, value, retry } = useAsyncRetry(
    () => api.getModel({ cluster, namespace, name }),
    [api, cluster, namespace, name],
  );
  if (loading && !value) return <Progress />;
  if (ResponseError.is(error) && error.statusCode === 404) {
    return (
      <Typography>
        Not deployed: there is no InferenceService {name} in namespace{' '}
        {namespace} on cluster {cluster}.
      </Typography>
    );
  }
  if (error) {
    return (
      <>
        <ApiErrorPanel
          error={error}
          title="Could not read the model's status"
        />
        <Button onClick={retry}>Retry</Button>
      </>
    );
  }
  if (!value) return null;
  const { status } = value;
  return (
    <>
      <StructuredMetadataTable
        metadata={{
          Ready: status.ready ? (
            <StatusOK>Ready</StatusOK>
          ) : (
            <StatusError>Not ready</StatusError>
          ),
          ...(status.reason ? { Reason: status.reason } : {}),
          ...(status.message ? { Message: status.message } : {}),
          URL: status.url ?? 'None yet',
          Replicas: formatReplicas(status.replicas),
          Framework: value.framework,
          Type: value.modelType,
          Namespace: `${namespace} (${cluster})`,
        }}
      />
      <ConditionsTable conditions={status.conditions} />
      <Button size="small" onClick={retry} disabled={loading}>
        Refresh
      </Button>
    </>
  );
}

/** The model entity page's card: is the InferenceService ready, where, with how many replicas. */
export function ModelStatusCard() {
  const model = useModelEntity();
  return (
    <InfoCard title="Serving status">
      {model.locator ? (
        <StatusDetails locator={model.locator} />
      ) : (
        <WarningPanel title="No serving status" message={model.problem} />
      )}
    </InfoCard>
  );
}
