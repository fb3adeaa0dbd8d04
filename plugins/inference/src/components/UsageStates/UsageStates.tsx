import { ResponseError } from '@backstage/errors';
import Typography from '@material-ui/core/Typography';
import { Alert, AlertTitle } from '@material-ui/lab';
import { ApiErrorPanel } from '../ApiErrorPanel';

/** The config key that points the backend at Prometheus. */
export const USAGE_CONFIG_KEY = 'inference.usage.prometheusUrl';

/** True for the backend's 501: no Prometheus is configured, so there is no usage to show. */
export function isUsageNotConfigured(error: unknown): boolean {
  if (ResponseError.is(error)) {
    return (
      error.statusCode === 501 ||
      error.body.error.name === 'NotImplementedError'
    );
  }
  return (error as Error | undefined)?.name === 'NotImplementedError';
}

/** True for the backend's 503: Prometheus is configured but did not answer. */
export function isPrometheusUnavailable(error: unknown): boolean {
  return ResponseError.is(error) && error.statusCode === 503;
}

/** What the usage views show when the portal has no Prometheus to read usage from. */
export function UsageNotConfiguredPanel(props: { compact?: boolean }) {
  return (
    <Alert severity="info" role="status" aria-label="Usage not configured">
      <AlertTitle>Usage is not configured</AlertTitle>
      <Typography variant="body2">
        The portal reads usage from the Prometheus that scrapes the gateway, and
        none is configured. Set <code>{USAGE_CONFIG_KEY}</code> in the app
        config
        {props.compact ? '.' : ' to show requests, errors, tokens and latency.'}
      </Typography>
    </Alert>
  );
}

/**
 * A usage call that failed: the not-configured panel for a 501, otherwise the backend's error
 * (Prometheus unreachable, not allowed, ...) with Retry.
 */
export function UsageErrorPanel(props: {
  error: unknown;
  onRetry?: () => void;
  compact?: boolean;
}) {
  const { error, onRetry, compact } = props;
  if (isUsageNotConfigured(error)) {
    return <UsageNotConfiguredPanel compact={compact} />;
  }
  return (
    <ApiErrorPanel
      error={error}
      title={
        isPrometheusUnavailable(error)
          ? 'Usage is unavailable: Prometheus did not answer'
          : 'Could not load the usage'
      }
      onRetry={onRetry}
    />
  );
}
