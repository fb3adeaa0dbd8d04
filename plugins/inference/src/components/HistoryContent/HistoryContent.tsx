import { Progress } from '@backstage/core-components';
import type { ModelLocator } from '@inference-in-a-box/backstage-plugin-inference-common';
import { useModelQuery } from '../../hooks/useModelQuery';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ModelEntityGate } from '../ModelEntityGate';
import { HistoryTable } from './HistoryTable';

function ModelHistory(props: { locator: ModelLocator }) {
  const { loading, error, value, retry } = useModelQuery(
    'getHistory',
    props.locator,
  );
  if (loading && !value) return <Progress />;
  if (error) {
    return (
      <ApiErrorPanel
        error={error}
        title="Could not load the history"
        onRetry={retry}
      />
    );
  }
  return <HistoryTable entries={value ?? []} />;
}

/** The "History" tab of a model's entity page. */
export function HistoryContent() {
  return (
    <ModelEntityGate unavailableTitle="No history">
      {model => <ModelHistory locator={model.locator} />}
    </ModelEntityGate>
  );
}
