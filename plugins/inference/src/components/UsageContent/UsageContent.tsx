import { useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import type {
  ModelUsage,
  UsageWindow,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { ModelEntity } from '../../hooks/useModelEntity';
import { useModelUsage } from '../../hooks/useUsage';
import {
  formatTime,
  unavailableReason,
  WINDOW_PHRASES,
} from '../../usage/formatUsage';
import { ModelEntityGate } from '../ModelEntityGate';
import { isUsageNotConfigured, UsageErrorPanel } from '../UsageStates';
import { UsageWindowPicker } from '../UsageWindowPicker';
import { KeyUsageTable } from './KeyUsageTable';
import { UsageChart } from './UsageChart';
import { UsageFigures, usageFigures } from './UsageFigures';

/** The window a model's usage opens on. */
export const DEFAULT_WINDOW: UsageWindow = '24h';

function UsageCharts(props: { usage: ModelUsage }) {
  const { usage } = props;
  const { palette } = useTheme();
  const charts = [
    {
      title: 'Requests',
      unit: 'requests',
      points: usage.series.requests,
      color: palette.primary.main,
    },
    {
      title: 'Rate limited (429)',
      unit: '429s',
      points: usage.series.rateLimited,
      color: palette.warning.main,
    },
    {
      title: 'Errors (5xx)',
      unit: 'errors',
      points: usage.series.errors,
      color: palette.error.main,
    },
    ...(usage.series.tokens
      ? [
          {
            title: 'Tokens',
            unit: 'tokens',
            points: usage.series.tokens,
            color: palette.info.main,
          },
        ]
      : []),
  ];
  return (
    <>
      {charts.map(chart => (
        <Grid item xs={12} lg={6} key={chart.title}>
          <UsageChart {...chart} window={usage.window} />
        </Grid>
      ))}
    </>
  );
}

/** The figures, charts and keys of one window; "no traffic" when the gateway saw no request. */
export function ModelUsageView(props: { usage: ModelUsage }) {
  const { usage } = props;
  const idle = usage.requests.total === 0;
  const keysUnavailable = unavailableReason(usage, 'keys');
  const asOf = usage.asOf
    ? `As of ${formatTime(
        usage.asOf * 1000,
      )}; the figures lag by up to one scrape interval`
    : undefined;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Summary" subheader={asOf}>
          {idle ? (
            <Typography role="status">
              No traffic in this window: the gateway recorded no request for
              this model {WINDOW_PHRASES[usage.window]}.
            </Typography>
          ) : (
            <UsageFigures label="Usage summary" figures={usageFigures(usage)} />
          )}
        </InfoCard>
      </Grid>
      {!idle && <UsageCharts usage={usage} />}
      <Grid item xs={12}>
        <InfoCard
          title="Usage per key"
          subheader="Requests and tokens in the chosen window; headroom in each limit's current window"
        >
          {keysUnavailable && (
            <Typography color="textSecondary" role="note">
              Per-key figures are not available for this model:{' '}
              {keysUnavailable}.
            </Typography>
          )}
          {!keysUnavailable && usage.keys.length === 0 && (
            <Typography color="textSecondary">
              No key was used {WINDOW_PHRASES[usage.window]}.
            </Typography>
          )}
          {usage.keys.length > 0 && (
            <KeyUsageTable
              keys={usage.keys}
              tokens={!!usage.tokens}
              rateLimitedUnavailable={unavailableReason(
                usage,
                'keys.requests.rateLimited',
              )}
            />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}

function ModelUsageTab(props: { model: ModelEntity }) {
  const [window, setWindow] = useState<UsageWindow>(DEFAULT_WINDOW);
  const { loading, error, value, retry } = useModelUsage(
    props.model.locator,
    window,
  );
  if (error && isUsageNotConfigured(error)) {
    return <UsageErrorPanel error={error} />;
  }
  const initialLoad = loading && !value && !error;
  // While another window loads, the previous window's figures stay, dimmed.
  const stale = value !== undefined && value.window !== window;
  return (
    <Box component="section" aria-label="Model usage" aria-busy={loading}>
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        mb={1}
      >
        <Typography variant="h6" component="h2">
          Usage {WINDOW_PHRASES[window]}
        </Typography>
        <UsageWindowPicker value={window} onChange={setWindow} />
      </Box>
      <Box height={4} mb={2}>
        {loading && !initialLoad && (
          <LinearProgress aria-label="Loading usage" />
        )}
      </Box>
      {initialLoad && <Progress />}
      {error && <UsageErrorPanel error={error} onRetry={retry} />}
      {!error && value && (
        <Box style={{ opacity: stale ? 0.5 : 1 }}>
          <ModelUsageView usage={value} />
        </Box>
      )}
    </Box>
  );
}

/** The "Usage" tab of a model's entity page: requests, errors, tokens and latency from Prometheus. */
export function UsageContent() {
  return (
    <ModelEntityGate unavailableTitle="No usage">
      {model => <ModelUsageTab model={model} />}
    </ModelEntityGate>
  );
}
