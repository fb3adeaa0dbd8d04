import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type {
  UsagePoint,
  UsageWindow,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  Area,
  AreaChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  formatCompact,
  formatCount,
  formatDuration,
  formatTick,
  formatTime,
  timeTicks,
} from '../../usage/formatUsage';

const HEIGHT = 220;

/** Hidden on screen, read by screen readers. */
const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

/** The step of a series: the distance between its first two points (they are evenly spaced). */
export function stepOf(points: UsagePoint[]): number | undefined {
  return points.length > 1 ? points[1].t - points[0].t : undefined;
}

/** What a screen reader hears instead of the drawing: the total and the busiest step. */
export function describeSeries(points: UsagePoint[], unit: string): string {
  if (points.every(p => p.value === 0)) return `No ${unit} in this window.`;
  const peak = points.reduce((a, b) => (b.value > a.value ? b : a));
  const step = stepOf(points);
  return `Peak of ${formatCount(peak.value)} ${unit}${
    step ? ` per ${formatDuration(step)}` : ''
  } at ${formatTime(peak.t * 1000)}.`;
}

/**
 * One usage series over time: time on the x axis (local time), the count per step on the y axis,
 * a tooltip with the exact time and count.
 */
export function UsageChart(props: {
  title: string;
  /** The counted thing, plural: `requests`, `tokens`. */
  unit: string;
  points: UsagePoint[];
  window: UsageWindow;
  color: string;
}) {
  const { title, unit, points, window, color } = props;
  const step = stepOf(points);
  const perStep = step ? `${unit} per ${formatDuration(step)}` : unit;
  const data = points.map(p => ({ t: p.t * 1000, value: p.value }));
  return (
    <InfoCard title={title} subheader={`${perStep}, local time`}>
      <figure
        aria-label={`${title} over time`}
        style={{ margin: 0, height: HEIGHT }}
      >
        <Typography component="figcaption" style={visuallyHidden}>
          {describeSeries(points, unit)}
        </Typography>
        {data.length === 0 ? (
          <Box
            height="100%"
            display="flex"
            alignItems="center"
            justifyContent="center"
          >
            <Typography color="textSecondary">
              No data points in this window.
            </Typography>
          </Box>
        ) : (
          <ResponsiveContainer width="100%" height={HEIGHT}>
            <AreaChart
              data={data}
              margin={{ top: 8, right: 16, bottom: 4, left: 8 }}
            >
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={['dataMin', 'dataMax']}
                ticks={timeTicks(window, data[0].t, data[data.length - 1].t)}
                tickFormatter={(t: number) => formatTick(window, t)}
                minTickGap={16}
              />
              <YAxis
                allowDecimals={false}
                tickFormatter={formatCompact}
                width={56}
                label={{
                  value: perStep,
                  angle: -90,
                  position: 'insideLeft',
                  style: { textAnchor: 'middle' },
                  dx: -2,
                }}
              />
              <Tooltip
                labelFormatter={t => formatTime(Number(t))}
                formatter={value => [`${formatCount(Number(value))} ${unit}`]}
              />
              <Area
                type="linear"
                dataKey="value"
                name={title}
                stroke={color}
                fill={color}
                fillOpacity={0.15}
                isAnimationActive={false}
              />
            </AreaChart>
          </ResponsiveContainer>
        )}
      </figure>
    </InfoCard>
  );
}
