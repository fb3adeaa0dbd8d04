import { useTheme } from '@material-ui/core/styles';
import type { TenantUsage } from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatCompact, formatCount } from '../../usage/formatUsage';

const CLASSES = ['2xx', '4xx', '5xx'] as const;

/** Each tenant's requests in the window as one bar, stacked by status class. */
export function TenantRequestsChart(props: { tenants: TenantUsage[] }) {
  const { palette } = useTheme();
  const colors = {
    '2xx': palette.success.main,
    '4xx': palette.warning.main,
    '5xx': palette.error.main,
  };
  const data = props.tenants.map(t => ({
    tenant: t.tenant,
    ...Object.fromEntries(
      CLASSES.map(c => [c, t.requests.byStatusClass[c] ?? 0]),
    ),
  }));
  return (
    <figure aria-label="Requests by tenant" style={{ margin: 0, height: 240 }}>
      <ResponsiveContainer width="100%" height={240}>
        <BarChart
          data={data}
          margin={{ top: 8, right: 16, bottom: 4, left: 8 }}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="tenant" />
          <YAxis
            allowDecimals={false}
            tickFormatter={formatCompact}
            width={56}
            label={{
              value: 'requests',
              angle: -90,
              position: 'insideLeft',
              style: { textAnchor: 'middle' },
            }}
          />
          <Tooltip formatter={value => formatCount(Number(value))} />
          <Legend />
          {CLASSES.map(c => (
            <Bar
              key={c}
              dataKey={c}
              name={c}
              stackId="requests"
              fill={colors[c]}
              maxBarSize={64}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
