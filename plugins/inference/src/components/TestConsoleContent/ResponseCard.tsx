import { InfoCard, Progress } from '@backstage/core-components';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ResponseView } from './ResponseView';
import { StreamedText } from './StreamedText';
import type { InvocationState } from './useTestInvocation';

/** The test console's answer side: nothing yet, the text streamed so far, the error or the response. */
export function ResponseCard(props: { state: InvocationState }) {
  const { state } = props;
  return (
    <InfoCard title="Response">
      {state.status === 'idle' && 'Send a request to see the answer here.'}
      {state.status === 'running' && (
        <>
          <Progress />
          {state.chunks.length > 0 && (
            <StreamedText chunks={state.chunks} streaming />
          )}
        </>
      )}
      {state.status === 'failed' && (
        <ApiErrorPanel error={state.error} title="The test request failed" />
      )}
      {state.status === 'done' && (
        <ResponseView
          result={state.result}
          chunks={state.chunks}
          viaGateway={state.request.target === 'gateway'}
        />
      )}
    </InfoCard>
  );
}
