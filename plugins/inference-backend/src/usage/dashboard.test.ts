import { readFileSync } from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  USAGE_METRICS,
  usageMetricOfSeries,
  usageSeriesNames,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { promqlRefs } from './__testUtils__/promqlRefs';

/**
 * One source of truth for metric names and labels: the Grafana dashboard queries only series and
 * labels USAGE_METRICS lists (plugins/inference-node/src/usage/usageMetrics.ts), which the
 * portal's PromQL templates use too (promql.test.ts).
 */

const dashboard = JSON.parse(
  readFileSync(
    resolvePackagePath(
      '@inference-in-a-box/backstage-plugin-inference-backend',
      '../../configs/observability/grafana-dashboard.json',
    ),
    'utf8',
  ),
);

interface Query {
  where: string;
  expr: string;
}

const queries: Query[] = [
  ...dashboard.panels.flatMap(
    (panel: { title: string; targets: Array<{ expr: string }> }) =>
      panel.targets.map(t => ({ where: panel.title, expr: t.expr })),
  ),
  ...dashboard.templating.list
    .filter((v: { type: string }) => v.type === 'query')
    .map((v: { name: string; query: { query: string } }) => ({
      where: `variable ${v.name}`,
      // label_values(selector, label): the selector is PromQL, the label one of its labels.
      expr: v.query.query.replace(/^label_values\((.*),\s*([a-z_]+)\)$/, '$1'),
    })),
];

/** The label `label_values(…, label)` asks for, per variable. */
const variableLabels: Array<{ where: string; series: string; label: string }> =
  dashboard.templating.list
    .filter((v: { type: string }) => v.type === 'query')
    .map((v: { name: string; query: { query: string } }) => {
      const [, series, label] =
        /^label_values\(([a-z_]+)\{.*\},\s*([a-z_]+)\)$/.exec(v.query.query)!;
      return { where: `variable ${v.name}`, series, label };
    });

describe('the Grafana dashboard uses the shared metric names and labels (USAGE_METRICS)', () => {
  it('reads every query of the dashboard', () => {
    expect(queries.length).toBeGreaterThan(8);
    for (const { expr } of queries)
      expect(promqlRefs(expr).series.length).toBeGreaterThan(0);
  });

  it.each(queries.map(q => [q.where, q.expr]))(
    '%s: every series and label is listed',
    (_where, expr) => {
      const refs = promqlRefs(expr);
      const known = new Set<string>(['le', ...refs.createdLabels]);
      for (const selector of refs.series) {
        const metric = usageMetricOfSeries(selector.name ?? '');
        expect({ series: selector.name, listed: metric !== undefined }).toEqual(
          { series: selector.name, listed: true },
        );
        for (const label of metric!.labels) known.add(label);
        for (const label of selector.labels)
          expect({
            series: selector.name,
            label,
            listed: metric!.labels.includes(label),
          }).toEqual({ series: selector.name, label, listed: true });
      }
      for (const label of [...refs.groupingLabels, ...refs.replaceSourceLabels])
        expect({ label, listed: known.has(label) }).toEqual({
          label,
          listed: true,
        });
    },
  );

  it("asks the pickers' label_values for listed labels", () => {
    for (const { series, label } of variableLabels)
      expect(usageMetricOfSeries(series)?.labels).toContain(label);
  });

  it('queries the families the portal reads (requests, latency, 429s, tokens), by the same names', () => {
    const used = new Set(
      queries.flatMap(q => promqlRefs(q.expr).series.map(s => s.name ?? '')),
    );
    for (const family of [
      USAGE_METRICS.envoyClusterRequestsByClass,
      USAGE_METRICS.envoyClusterRequestTime,
      USAGE_METRICS.envoyClusterRateLimitOverLimit,
      USAGE_METRICS.genAiTokenUsage,
    ])
      expect(usageSeriesNames(family).some(name => used.has(name))).toBe(true);
  });

  it('would notice a name the list does not have', () => {
    const refs = promqlRefs(
      'sum by (client_id) (rate(gen_ai_client_token_usage_total{gen_ai_request_model=~"$model"}[5m]))',
    );
    expect(usageMetricOfSeries(refs.series[0].name!)).toBeUndefined();
    const renamed = promqlRefs(
      'sum(envoy_cluster_upstream_rq_xx{cluster="x"})',
    );
    expect(usageMetricOfSeries(renamed.series[0].name!)!.labels).not.toContain(
      renamed.series[0].labels[0],
    );
  });
});
