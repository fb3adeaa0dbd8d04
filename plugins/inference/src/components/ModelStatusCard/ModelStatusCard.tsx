import {
  InfoCard,
  Progress,
  StatusError,
  StatusOK,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import type {
  ModelLocator,
  ModelStatus,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { useModelQuery } from '../../hooks/useModelQuery';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ConditionsTable } from '../ConditionsTable';
import { ModelEntityGate } from '../ModelEntityGate';

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
  const { cluster, namespace, name } = props.locator;
  const { loading, error, value, retry } = useModelQuery(
    'getModel',
    props.locator,
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
      <ApiErrorPanel
        error={error}
        title="Could not read the model's status"
        onRetry={retry}
      />
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
  return (
    <InfoCard title="Serving status">
      <ModelEntityGate unavailableTitle="No serving status">
        {model => <StatusDetails locator={model.locator} />}
      </ModelEntityGate>
    </InfoCard>
  );
}
