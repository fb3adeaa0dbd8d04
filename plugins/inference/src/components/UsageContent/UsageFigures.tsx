import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import type { ModelUsage } from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  formatCount,
  formatLatency,
  unavailableReason,
} from '../../usage/formatUsage';

export interface Figure {
  /** The figure's accessible name and caption, e.g. `Requests`. */
  label: string;
  value: string;
  hint?: string;
  color?: 'error' | 'textSecondary';
  /** Why the platform's metrics cannot give this figure (it then shows `n/a`). */
  unavailable?: string;
}

/** The summary figures of a model's usage; tokens only for OpenAI-compatible models. */
export function usageFigures(usage: ModelUsage): Figure[] {
  const { requests, tokens, latencyMs } = usage;
  const byClass = (c: string) => formatCount(requests.byStatusClass[c] ?? 0);
  const unauthorizedUnavailable =
    unavailableReason(usage, 'requests.unauthorized') ??
    (requests.unauthorized === undefined
      ? 'The gateway did not report 401s for this model.'
      : undefined);
  const figures: Figure[] = [
    { label: 'Requests', value: formatCount(requests.total) },
    { label: '2xx', value: byClass('2xx'), hint: 'Answered' },
    { label: '4xx', value: byClass('4xx'), hint: 'Refused or bad request' },
    {
      label: '5xx',
      value: byClass('5xx'),
      hint: 'Failed in the gateway or model',
      color: (requests.byStatusClass['5xx'] ?? 0) > 0 ? 'error' : undefined,
    },
    {
      label: '401',
      value: unauthorizedUnavailable
        ? 'n/a'
        : formatCount(requests.unauthorized ?? 0),
      hint: 'No or bad key',
      unavailable: unauthorizedUnavailable,
    },
    {
      label: '429',
      value: formatCount(requests.rateLimited),
      hint: 'Over a rate limit',
    },
  ];
  if (tokens) {
    figures.push(
      { label: 'Input tokens', value: formatCount(tokens.input) },
      { label: 'Output tokens', value: formatCount(tokens.output) },
      { label: 'Total tokens', value: formatCount(tokens.total) },
    );
  }
  figures.push(
    {
      label: 'Latency p50',
      value: formatLatency(latencyMs.p50),
      hint: 'Median',
    },
    {
      label: 'Latency p95',
      value: formatLatency(latencyMs.p95),
      hint: '95th percentile',
    },
  );
  return figures;
}

/**
 * A row of figures. Each is a group named by its label, so `getByRole('group', { name: '429' })`
 * (and a screen reader) finds the figure, and its value is the group's large text. Figures the
 * metrics cannot give show `n/a`, with the reason listed under the row.
 */
export function UsageFigures(props: { figures: Figure[]; label: string }) {
  const unavailable = props.figures.filter(f => f.unavailable);
  return (
    <Box component="section" aria-label={props.label}>
      <Box display="flex" flexWrap="wrap" gridGap={12}>
        {props.figures.map(f => (
          <Paper
            key={f.label}
            variant="outlined"
            role="group"
            aria-label={f.label}
            title={f.unavailable}
            style={{ padding: '8px 16px', minWidth: 112 }}
          >
            <Typography
              variant="h5"
              component="p"
              color={f.unavailable ? 'textSecondary' : f.color}
            >
              {f.value}
            </Typography>
            <Typography variant="body2" component="p">
              {f.label}
            </Typography>
            {f.hint && (
              <Typography variant="caption" color="textSecondary" component="p">
                {f.hint}
              </Typography>
            )}
          </Paper>
        ))}
      </Box>
      {unavailable.length > 0 && (
        <Box mt={1} component="ul" aria-label="Figures not available" pl={2}>
          {unavailable.map(f => (
            <Typography
              key={f.label}
              component="li"
              variant="caption"
              color="textSecondary"
            >
              {f.label} n/a: {f.unavailable}
            </Typography>
          ))}
        </Box>
      )}
    </Box>
  );
}
