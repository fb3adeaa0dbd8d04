import type { ReactNode } from 'react';
import { Content, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { ApiErrorPanel } from '../ApiErrorPanel';

/**
 * A tab of the Inference page: a progress bar while its data loads, the backend's error with Retry
 * when loading failed, and the tab's own content (which shows what it has so far).
 */
export function PageTabContent(props: {
  loading: boolean;
  error?: unknown;
  errorTitle: string;
  onRetry: () => void;
  children: ReactNode;
}) {
  const { loading, error, errorTitle, onRetry, children } = props;
  return (
    <Content>
      {loading && <Progress />}
      {error !== undefined && (
        <Box mb={2}>
          <ApiErrorPanel error={error} title={errorTitle} onRetry={onRetry} />
        </Box>
      )}
      {children}
    </Content>
  );
}
