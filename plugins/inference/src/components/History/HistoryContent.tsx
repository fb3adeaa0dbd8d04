import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import type { ModelLocator } from '@internal/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import { useModelEntity } from '../../hooks/useModelEntity';
import { ApiErrorPanel } from '../ApiError';
import { HistoryTable } from './HistoryTable';

function ModelHistory(props: { locator: ModelLocator }) {
  const api = useApi(inferenceApiRef);
  const { cluster, namespace, name } = props.locator;
  const { loading, error, value, retry } = useAsyncRetry(
    () => api.getHistory({ cluster, namespace, name }),
    [api, cluster, namespace, name],
  );
  if (loading && !value) return <Progress />;
  if (error) {
    return (
      <>
        <ApiErrorPanel error={error} title="Could not load the history" />
        <Button onClick={retry}>Retry</Button>
      </>
    );
  }
  return <HistoryTable entries={value ?? []} />;
}

/** The "History" tab of a model's entity page. */
export function HistoryContent() {
  const model = useModelEntity();
  if (!model.locator) {
    return <WarningPanel title="No history" message={model.problem} />;
  }
  return <ModelHistory locator={model.locator} />;
}
