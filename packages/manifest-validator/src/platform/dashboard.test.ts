import fs from 'node:fs';
import path from 'node:path';
import { CONFIGS_DIR } from '../repoPaths';

describe('Grafana dashboard (configs/observability/grafana-dashboard.json)', () => {
  const dashboard = JSON.parse(
    fs.readFileSync(
      path.join(CONFIGS_DIR, 'observability/grafana-dashboard.json'),
      'utf8',
    ),
  );
  const panels: Array<{ title: string; targets: Array<{ expr: string }> }> =
    dashboard.panels;

  it('covers requests, latency, errors and tokens', () => {
    const titles = panels.map(p => p.title.toLowerCase()).join('\n');
    for (const topic of ['requests', 'latency', 'errors', 'tokens'])
      expect(titles).toContain(topic);
  });

  it('breaks every panel down by tenant or model, using the dashboard variables', () => {
    expect(
      dashboard.templating.list.map((v: { name: string }) => v.name),
    ).toEqual(expect.arrayContaining(['tenant', 'model']));
    for (const panel of panels) {
      expect(panel.targets.length).toBeGreaterThan(0);
      for (const { expr } of panel.targets) {
        expect([
          panel.title,
          /\$model|\$tenant|envoy_response_code_class|ratelimit/.test(expr),
        ]).toEqual([panel.title, true]);
        // Balanced parentheses and braces: a cheap guard against a broken PromQL edit.
        for (const [open, close] of [
          ['(', ')'],
          ['{', '}'],
          ['[', ']'],
        ]) {
          expect(expr.split(open).length).toBe(expr.split(close).length);
        }
      }
    }
  });
});
