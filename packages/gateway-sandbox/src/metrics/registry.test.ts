import { parsePrometheusText } from '../__testUtils__/prometheusText';
import { formatEnvoyDouble, formatGoFloat } from './numberFormat';
import { CLIENT_GOLANG, ENVOY, MetricsRegistry } from './registry';

describe('text exposition registry', () => {
  it('escapes backslashes, double quotes and line feeds in label values', () => {
    const registry = new MetricsRegistry(CLIENT_GOLANG);
    registry.counter('requests', '').inc([['client_id', 'a"b\\c\nd']], 2);
    expect(registry.render()).toBe(
      '# TYPE requests counter\nrequests{client_id="a\\"b\\\\c\\nd"} 2\n',
    );
    // And a Prometheus parser reads the original value back.
    expect(parsePrometheusText(registry.render())[0].labels.client_id).toBe(
      'a"b\\c\nd',
    );
  });

  it('escapes backslashes and line feeds, not quotes, in HELP', () => {
    const registry = new MetricsRegistry(CLIENT_GOLANG);
    registry.counter('c', 'say "hi"\\\nbye').inc([]);
    expect(registry.render()).toBe(
      '# HELP c say "hi"\\\\\\nbye\n# TYPE c counter\nc 1\n',
    );
  });

  it('writes cumulative buckets, +Inf, sum and count, bounds in Go float text', () => {
    const registry = new MetricsRegistry(CLIENT_GOLANG);
    const histogram = registry.histogram('tokens', [1, 65536, 1048576], 'T.');
    histogram.observe([['type', 'input']], 44);
    histogram.observe([['type', 'input']], 2000000);
    histogram.observe([['type', 'input']], 1);
    expect(registry.render()).toBe(
      [
        '# HELP tokens T.',
        '# TYPE tokens histogram',
        'tokens_bucket{type="input",le="1"} 1',
        'tokens_bucket{type="input",le="65536"} 2',
        'tokens_bucket{type="input",le="1.048576e+06"} 2',
        'tokens_bucket{type="input",le="+Inf"} 3',
        'tokens_sum{type="input"} 2.000045e+06',
        'tokens_count{type="input"} 3',
        '',
      ].join('\n'),
    );
  });

  it('sorts families by name and series by label values (client_golang)', () => {
    const registry = new MetricsRegistry(CLIENT_GOLANG);
    const b = registry.counter('b_total');
    registry.counter('a_total').inc([['k', 'x']]);
    b.inc([['k', 'z']]);
    b.inc([['k', 'y']]);
    expect(registry.render()).toBe(
      '# TYPE a_total counter\na_total{k="x"} 1\n' +
        '# TYPE b_total counter\nb_total{k="y"} 1\nb_total{k="z"} 1\n',
    );
  });

  it('writes Envoy style: counters before histograms, no HELP, an empty line after each family', () => {
    const registry = new MetricsRegistry(ENVOY);
    registry
      .histogram('envoy_a_time', [0.5, 3600000], 'ignored')
      .observe([['envoy_cluster_name', 'c']], 3);
    registry
      .counter('envoy_z_total', 'ignored')
      .touch([['envoy_cluster_name', 'c']]);
    expect(registry.render()).toBe(
      [
        '# TYPE envoy_z_total counter',
        'envoy_z_total{envoy_cluster_name="c"} 0',
        '',
        '# TYPE envoy_a_time histogram',
        'envoy_a_time_bucket{envoy_cluster_name="c",le="0.5"} 0',
        'envoy_a_time_bucket{envoy_cluster_name="c",le="3600000"} 1',
        'envoy_a_time_bucket{envoy_cluster_name="c",le="+Inf"} 1',
        'envoy_a_time_sum{envoy_cluster_name="c"} 3',
        'envoy_a_time_count{envoy_cluster_name="c"} 1',
        '',
        '',
      ].join('\n'),
    );
  });

  it('refuses a family registered twice', () => {
    const registry = new MetricsRegistry(CLIENT_GOLANG);
    registry.counter('x');
    expect(() => registry.histogram('x', [1])).toThrow(/twice/);
  });
});

describe('number text', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [-1, '-1'],
    [44, '44'],
    [10.808095311, '10.808095311'],
    [0.001, '0.001'],
    [0.00001, '1e-05'],
    [65536, '65536'],
    [262144, '262144'],
    [1048576, '1.048576e+06'],
    [67108864, '6.7108864e+07'],
    [1e21, '1e+21'],
    [Infinity, '+Inf'],
  ])('Go FormatFloat(%p, g, -1) = %p', (value, text) => {
    expect(formatGoFloat(value)).toBe(text);
  });

  it.each([
    [0.5, '0.5'],
    [3600000, '3600000'],
    [12.5, '12.5'],
    [0.1, '0.10000000000000000555111512312578'],
  ])('fmt {:.32g} of %p = %p', (value, text) => {
    expect(formatEnvoyDouble(value)).toBe(text);
  });
});
