import { usageMetricOfSeries } from '@inference-in-a-box/backstage-plugin-inference-node';
import {
  allRequests,
  answersByClient,
  answersWithCode,
  labelValue,
  latencyQuantile,
  namespaceClusters,
  namespaceRouteNames,
  predictorWorkloadMatchers,
  promqlString,
  quoteRegex,
  rateLimited,
  requestsByClass,
  requestsOfClass,
  routeClusters,
  routeNames,
  routeOfCluster,
  routeOfRouteName,
  tokensByClient,
  UnsafeLabelValueError,
  workloadLatencyQuantile,
  workloadRequestsByCode,
} from './promql';
import { promqlRefs, tokenize } from './__testUtils__/promqlRefs';

/** Every template, as the usage service calls it, for a namespace, a route and a model name. */
function allTemplates(namespace: string, route: string, model: string) {
  const clusters = routeClusters(namespace, route);
  return [
    requestsByClass(clusters, 3600),
    requestsByClass(namespaceClusters(namespace), 3600, ['envoy_cluster_name']),
    requestsOfClass(clusters, '5', 60),
    allRequests(clusters, 60),
    rateLimited(clusters, 86_400),
    rateLimited(namespaceClusters(namespace), 60, ['envoy_cluster_name']),
    latencyQuantile(0.5, clusters, 3600),
    latencyQuantile(0.95, clusters, 3600),
    tokensByClient(model, 3600),
    tokensByClient(undefined, 3600),
    answersByClient(model, 42),
    answersWithCode(routeNames(namespace, route), 401, 3600),
    answersWithCode(routeNames(namespace, route), 429, 3600, ['client_id']),
    answersWithCode(namespaceRouteNames(namespace), 401, 60, ['route_name']),
    // A rollout side: the route stands in for the workload name (both DNS labels).
    workloadRequestsByCode(predictorWorkloadMatchers(namespace, route), 300),
    workloadLatencyQuantile(
      0.95,
      predictorWorkloadMatchers(namespace, route),
      900,
    ),
  ];
}

const skeletons = (queries: string[]) =>
  queries.map(q => promqlRefs(q).skeleton);

/** Names that try to leave their string literal, add matchers or alternatives, or break lines. */
const HOSTILE = [
  '"}',
  'a"} or vector(1) #',
  'x", __name__=~".+',
  'qwen"} or vector(1)',
  'qwen\nor vector(1)',
  'qwen\\',
  'qwen\\"',
  '.*',
  '.+|tenant-b',
  'a|b',
  '(a)',
  '[a-z]+',
  '^tenant-a$',
  'tenant-a/other-route',
  'tenant-a/.*/rule/0',
  'Tenant-A',
  'café',
  '',
  ' tenant-a',
  'a'.repeat(64),
  'x`y',
  "x'y",
  'x{y}',
  'x,y',
];

describe('PromQL string literals', () => {
  it('escapes backslash, double quote and line breaks', () => {
    expect(promqlString('a"b\\c\nd\re')).toBe('"a\\"b\\\\c\\nd\\re"');
    for (const value of HOSTILE) {
      const [token, ...rest] = tokenize(promqlString(value));
      expect(rest).toEqual([]);
      expect(token).toMatchObject({ type: 'string', text: value });
    }
  });

  it('quotes every RE2 metacharacter', () => {
    const meta = '\\.+*?()|[]{}^$';
    const quoted = quoteRegex(`a${meta}b`);
    expect(quoted).toBe('a\\\\\\.\\+\\*\\?\\(\\)\\|\\[\\]\\{\\}\\^\\$b');
    expect(new RegExp(`^${quoted}$`).test(`a${meta}b`)).toBe(true);
    expect(new RegExp(`^${quoted}$`).test('aXb')).toBe(false);
  });

  it('admits only the character set of the value kind', () => {
    expect(labelValue('dnsLabel', 'tenant-a')).toBe('tenant-a');
    expect(labelValue('publicModelName', 'llama-3.1-8b')).toBe('llama-3.1-8b');
    expect(() => labelValue('dnsLabel', 'llama-3.1-8b')).toThrow(
      UnsafeLabelValueError,
    );
    for (const value of HOSTILE) {
      expect(() => labelValue('dnsLabel', value)).toThrow(
        UnsafeLabelValueError,
      );
      expect(() => labelValue('publicModelName', value)).toThrow(
        UnsafeLabelValueError,
      );
    }
  });
});

describe('the PromQL templates', () => {
  const benign = allTemplates('tenant-a', 'qwen', 'qwen2.5-0.5b');

  it('are what the usage service sends (one of them written out)', () => {
    expect(requestsByClass(routeClusters('tenant-a', 'qwen'), 3600)).toBe(
      'sum by (envoy_response_code_class) ((((envoy_cluster_upstream_rq_xx{envoy_cluster_name=~"httproute/tenant-a/qwen/rule/[0-9]+"} - envoy_cluster_upstream_rq_xx{envoy_cluster_name=~"httproute/tenant-a/qwen/rule/[0-9]+"} offset 3600s) >= 0) or envoy_cluster_upstream_rq_xx{envoy_cluster_name=~"httproute/tenant-a/qwen/rule/[0-9]+"}))',
    );
    expect(tokensByClient('qwen2.5-0.5b', 60)).toContain(
      'gen_ai_client_token_usage_sum{gen_ai_original_model="qwen2.5-0.5b", client_id!=""}',
    );
  });

  it('refuse every hostile namespace, route or model name before writing any PromQL', () => {
    for (const hostile of HOSTILE) {
      const cases: Array<[string, string, string]> = [
        [hostile, 'qwen', 'qwen'],
        ['tenant-a', hostile, 'qwen'],
        ['tenant-a', 'qwen', hostile],
      ];
      for (const [namespace, route, model] of cases) {
        expect(() => allTemplates(namespace, route, model)).toThrow(
          UnsafeLabelValueError,
        );
      }
      expect(() => namespaceClusters(hostile)).toThrow(UnsafeLabelValueError);
      expect(() => answersByClient(hostile, 60)).toThrow(UnsafeLabelValueError);
    }
  });

  it('keep their shape for any accepted name: a name only ever fills a string literal', () => {
    // Random names over an alphabet of PromQL and regex syntax: those accepted must change
    // nothing but the literals' contents.
    const alphabet = 'ab9-.."\\{}()[]|*+?^$ ,=~!\n`\'#/';
    let seed = 17;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let accepted = 0;
    const refusals: unknown[] = [];
    for (let n = 0; n < 3000; n++) {
      const name = Array.from(
        { length: 1 + Math.floor(random() * 12) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      let queries: string[];
      try {
        queries = allTemplates(
          name.replace(/\./g, ''),
          name.replace(/\./g, ''),
          name,
        );
      } catch (error) {
        refusals.push(error);
        continue;
      }
      accepted++;
      expect(skeletons(queries)).toEqual(skeletons(benign));
    }
    expect(refusals.filter(e => !(e instanceof UnsafeLabelValueError))).toEqual(
      [],
    );
    expect(refusals.length).toBeGreaterThan(1000);
    expect(accepted).toBeGreaterThan(10);
  });

  it('use only metric names and labels of the shared list (USAGE_METRICS)', () => {
    for (const query of benign) {
      const refs = promqlRefs(query);
      expect(refs.series.length).toBeGreaterThan(0);
      const allowed = new Set<string>(['le']);
      for (const selector of refs.series) {
        const metric = usageMetricOfSeries(selector.name ?? '');
        expect([query, selector.name, metric !== undefined]).toEqual([
          query,
          selector.name,
          true,
        ]);
        for (const label of metric!.labels) allowed.add(label);
        for (const label of selector.labels)
          expect([
            selector.name,
            label,
            metric!.labels.includes(label),
          ]).toEqual([selector.name, label, true]);
      }
      for (const label of refs.groupingLabels)
        expect([query, label, allowed.has(label)]).toEqual([
          query,
          label,
          true,
        ]);
      // Equality or negative matchers, except the route regexes (clusters, access log route
      // names) built from checked parts.
      expect(query.match(/=~"[^"]*"/g) ?? []).toEqual(
        (query.match(/(envoy_cluster_name|route_name)=~"[^"]*"/g) ?? []).map(
          m => m.replace(/^(envoy_cluster_name|route_name)/, ''),
        ),
      );
    }
  });

  it('read the route back from a route-level cluster name', () => {
    expect(routeOfCluster('httproute/tenant-a/qwen/rule/0')).toEqual({
      namespace: 'tenant-a',
      route: 'qwen',
    });
    expect(routeOfCluster('httproute/tenant-a/qwen/rule/0/backend/0')).toBe(
      undefined,
    );
    expect(routeOfCluster('ratelimit_cluster')).toBe(undefined);
  });

  it('select exactly one route: no other route or namespace matches its cluster regex', () => {
    const regex = /=~"([^"]*)"/.exec(routeClusters('tenant-a', 'qwen'))![1];
    const re = new RegExp(`^(?:${regex})$`);
    expect(re.test('httproute/tenant-a/qwen/rule/0')).toBe(true);
    expect(re.test('httproute/tenant-a/qwen/rule/12')).toBe(true);
    for (const other of [
      'httproute/tenant-a/qwen-2/rule/0',
      'httproute/tenant-a/qwe/rule/0',
      'httproute/tenant-ab/qwen/rule/0',
      'httproute/tenant-b/qwen/rule/0',
      'httproute/tenant-a/qwen/rule/0/backend/0',
      'grpcroute/tenant-a/qwen/rule/0',
    ])
      expect([other, re.test(other)]).toEqual([other, false]);
  });

  it('write windows in whole seconds, or milliseconds for the part of a window gone by', () => {
    const clusters = routeClusters('tenant-a', 'qwen');
    expect(allRequests(clusters, 60)).toContain(' offset 60s)');
    expect(allRequests(clusters, 12.3456)).toContain(' offset 12346ms)');
    for (const bad of [0, 0.0004, -1, NaN, Infinity])
      expect(() => allRequests(clusters, bad)).toThrow(/invalid window/);
  });
});

describe('the rollout side templates', () => {
  it("select one predictor workload's own sidecar counts, by response code", () => {
    const workload = predictorWorkloadMatchers(
      'tenant-a',
      'iris-predictor-00002-deployment',
    );
    const selector =
      'istio_requests_total{reporter="destination", destination_workload_namespace="tenant-a", destination_workload="iris-predictor-00002-deployment"}';
    expect(workloadRequestsByCode(workload, 300)).toBe(
      `sum by (response_code) ((((${selector} - ${selector} offset 300s) >= 0) or ${selector}))`,
    );
    expect(workloadLatencyQuantile(0.5, workload, 60)).toBe(
      `histogram_quantile(0.5, sum by (le) ((((${selector.replace(
        'istio_requests_total',
        'istio_request_duration_milliseconds_bucket',
      )} - ${selector.replace(
        'istio_requests_total',
        'istio_request_duration_milliseconds_bucket',
      )} offset 60s) >= 0) or ${selector.replace(
        'istio_requests_total',
        'istio_request_duration_milliseconds_bucket',
      )})))`,
    );
  });

  it('refuse a hostile namespace or workload name', () => {
    for (const hostile of HOSTILE) {
      expect(() => predictorWorkloadMatchers(hostile, 'iris')).toThrow(
        UnsafeLabelValueError,
      );
      expect(() => predictorWorkloadMatchers('tenant-a', hostile)).toThrow(
        UnsafeLabelValueError,
      );
    }
  });
});

describe('the access log route names', () => {
  it('read the route back from an Envoy route name and select exactly that route', () => {
    const name =
      'httproute/tenant-a/tenant-a-qwen/rule/0/match/0/qwen-tenant-a_inference-in-a-box';
    expect(routeOfRouteName(name)).toEqual({
      namespace: 'tenant-a',
      route: 'tenant-a-qwen',
    });
    expect(routeOfRouteName('-')).toBeUndefined();
    const regexOf = (matcher: string) =>
      new RegExp(`^(?:${JSON.parse(matcher.slice(matcher.indexOf('"')))})$`);
    const one = regexOf(routeNames('tenant-a', 'tenant-a-qwen'));
    expect(one.test(name)).toBe(true);
    expect(one.test(name.replace('tenant-a-qwen', 'tenant-a-qwen2'))).toBe(
      false,
    );
    expect(one.test(name.replace('match/0', 'match/-1'))).toBe(true);
    const tenant = regexOf(namespaceRouteNames('tenant-a'));
    expect(tenant.test(name)).toBe(true);
    expect(tenant.test(name.replace('/tenant-a/', '/tenant-ab/'))).toBe(false);
  });

  it('count one status code from the access log counter', () => {
    expect(
      answersWithCode(routeNames('tenant-a', 'r'), 429, 60, ['client_id']),
    ).toBe(
      'sum by (client_id) ((((gateway_access_requests_total{route_name=~"httproute/tenant-a/r/rule/[0-9]+/match/-?[0-9]+/.*", response_code="429"} - gateway_access_requests_total{route_name=~"httproute/tenant-a/r/rule/[0-9]+/match/-?[0-9]+/.*", response_code="429"} offset 60s) >= 0) or gateway_access_requests_total{route_name=~"httproute/tenant-a/r/rule/[0-9]+/match/-?[0-9]+/.*", response_code="429"}))',
    );
  });
});
