import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIGS_DIR, SCRIPTS_DIR } from '../repoPaths';
import {
  loadPinnedChart,
  mergeValues,
  pinnedServingRuntimes,
  ServingRuntime,
  supportingRuntimes,
} from './pinnedCharts';
import { KubeObject, readObjects } from './readManifests';

/**
 * The scrape jobs of configs/observability/kube-prometheus-stack.values.yaml find what the Grafana
 * dashboard (configs/observability/grafana-dashboard.json) queries: the tenant namespaces' model
 * servers, the Gateway's Envoy proxies and the AI Gateway's external processor, and the
 * kube-state-metrics labels behind the dashboard's tenant and model pickers.
 */

const FIXTURES = path.join(__dirname, '__fixtures__');
const TENANT_LABEL = 'inference.platform.io/tenant-namespace';

/**
 * The Prometheus the pinned kube-prometheus-stack runs: chart 77.0.0 deploys prometheus v3.5.0
 * (its values.yaml, prometheus.prometheusSpec.image.tag). Pod discovery attaches namespace labels
 * (`__meta_kubernetes_namespace_label_*`, with `attach_metadata: {namespace: true}`) only from
 * v3.6.0 on (prometheus discovery/kubernetes/pod.go, `withNamespaceMetadata`).
 */
const PINNED_STACK = '77.0.0';
const PROMETHEUS_HAS_NAMESPACE_LABELS = false;

function readValues(file: string) {
  return parse(fs.readFileSync(file, 'utf8'));
}
const values = readValues(
  path.join(CONFIGS_DIR, 'observability/kube-prometheus-stack.values.yaml'),
);
const valuesBefore = readValues(
  path.join(FIXTURES, 'kube-prometheus-stack.before-issue-16.values.yaml'),
);
const dashboard = JSON.parse(
  fs.readFileSync(
    path.join(CONFIGS_DIR, 'observability/grafana-dashboard.json'),
    'utf8',
  ),
);
const dashboardBefore = JSON.parse(
  fs.readFileSync(
    path.join(FIXTURES, 'grafana-dashboard.before-issue-16.json'),
    'utf8',
  ),
);

/** Every Namespace object of configs/, and the namespaces every cluster has. */
const namespaces: KubeObject[] = [
  ...fs
    .readdirSync(CONFIGS_DIR, { withFileTypes: true })
    .filter(d => d.isDirectory())
    .flatMap(d => readObjects(path.join(CONFIGS_DIR, d.name)))
    .filter(o => o.kind === 'Namespace'),
  ...['default', 'kube-system', 'istio-system', 'monitoring', 'kserve'].map(
    name => ({ kind: 'Namespace', metadata: { name, labels: {} } }),
  ),
];
const tenantNamespaces = namespaces
  .filter(ns => ns.metadata.labels?.[TENANT_LABEL] === 'true')
  .map(ns => ns.metadata.name as string)
  .sort();

/** A Kubernetes label or annotation key as Prometheus and kube-state-metrics spell it in a label name. */
const sanitize = (key: string) => key.replace(/[^a-zA-Z0-9_]/g, '_');

function job(v: KubeObject, name: string): KubeObject {
  const found = v.prometheus.prometheusSpec.additionalScrapeConfigs.find(
    (j: KubeObject) => j.job_name === name,
  );
  if (!found) throw new Error(`no scrape job ${name}`);
  return found;
}

/**
 * The namespaces whose pods a pod-discovery job keeps, applying its namespace list and the keep and
 * drop rules on namespace metadata, with the metadata Prometheus actually provides.
 */
function keptNamespaces(scrapeJob: KubeObject): string[] {
  const sd = scrapeJob.kubernetes_sd_configs[0];
  expect(sd.role).toBe('pod');
  const names: string[] | undefined = sd.namespaces?.names;
  return namespaces
    .filter(ns => {
      const name = ns.metadata.name as string;
      if (names && !names.includes(name)) return false;
      const meta: Record<string, string> = {
        __meta_kubernetes_namespace: name,
      };
      if (PROMETHEUS_HAS_NAMESPACE_LABELS && sd.attach_metadata?.namespace) {
        for (const [key, value] of Object.entries(ns.metadata.labels ?? {}))
          meta[`__meta_kubernetes_namespace_label_${sanitize(key)}`] =
            value as string;
      }
      for (const rule of scrapeJob.relabel_configs ?? []) {
        const sources: string[] = rule.source_labels ?? [];
        const action = rule.action ?? 'replace';
        if (action !== 'keep' && action !== 'drop') continue;
        if (!sources.every(s => s.startsWith('__meta_kubernetes_namespace')))
          continue;
        const value = sources
          .map(s => meta[s] ?? '')
          .join(rule.separator ?? ';');
        const matches = new RegExp(`^(?:${rule.regex ?? '(.*)'})$`).test(value);
        if ((action === 'keep') !== matches) return false;
      }
      return true;
    })
    .map(ns => ns.metadata.name as string)
    .sort();
}

/** The kube-state-metrics label allowlist: resource -> exported label names (`label_<key>`). */
function exportedLabels(v: KubeObject): Record<string, string[]> {
  return Object.fromEntries(
    (v['kube-state-metrics'].metricLabelsAllowlist as string[]).map(entry => {
      const [, resource, keys] = /^([a-z]+)=\[(.*)\]$/.exec(entry)!;
      return [
        resource,
        keys.split(',').map(k => `label_${sanitize(k.trim())}`),
      ];
    }),
  );
}

/** The `label_*` names each picker's query selects on, by kube-state-metrics resource. */
function pickerLabels(
  d: KubeObject,
): Array<{ resource: string; label: string }> {
  return d.templating.list
    .filter((v: KubeObject) => v.type === 'query')
    .flatMap((v: KubeObject) => {
      const query: string = v.query.query;
      const metric = /kube_([a-z]+?)s?_labels/.exec(query);
      if (!metric) return [];
      const resource = `${metric[1]}s`;
      return [...query.matchAll(/\blabel_(?!values\()[a-z0-9_]+/g)].map(m => ({
        resource,
        label: m[0],
      }));
    });
}

/** Namespace label filters of the pickers, e.g. `label_x="true"`, with the value they require. */
function tenantPickerFilter(d: KubeObject) {
  const query: string = d.templating.list.find(
    (v: KubeObject) => v.name === 'tenant',
  ).query.query;
  const [, label, value] =
    /kube_namespace_labels\{(label_[a-z0-9_]+)="([^"]*)"\}/.exec(query)!;
  return { label, value };
}

const exprs: string[] = dashboard.panels.flatMap((p: KubeObject) =>
  p.targets.map((t: KubeObject) => t.expr),
);
const metricsOf = (prefix: RegExp) => [
  ...new Set(exprs.flatMap(e => e.match(prefix) ?? [])),
];

/** Every ClusterServingRuntime of kserve-runtime-configs (helmCharts.test.ts checks which are enabled). */
const RUNTIMES = pinnedServingRuntimes();

/**
 * The annotations of a predictor's pods: KServe merges the runtime's `spec.annotations`, the
 * InferenceService's and the predictor's, later ones winning (kserve v0.20.0
 * pkg/controller/v1beta1/inferenceservice/components/predictor.go: `utils.Union(sRuntimeAnnotations,
 * annotations, isvc.Spec.Predictor.Annotations)`; none of prometheus.io/* is in
 * constants.ServiceAnnotationDisallowedList).
 */
function predictorPodAnnotations(
  isvc: KubeObject,
  runtime: ServingRuntime | undefined,
): Record<string, string> {
  return {
    ...runtime?.spec.annotations,
    ...isvc.metadata.annotations,
    ...isvc.spec.predictor.annotations,
  };
}

/**
 * Finding 7: whether the model servers' own series (the dashboard's `request_predict_seconds`)
 * reach Prometheus. The `kserve-predictors` job scrapes the Istio sidecar's merged endpoint; Istio
 * merges an application's metrics only when its pod names them with `prometheus.io/port` and
 * `prometheus.io/path` at injection (istio/istio 1.30.3 pkg/kube/inject/webhook.go
 * applyPrometheusMerge, pilot/cmd/pilot-agent/status/server.go ISTIO_PROMETHEUS_ANNOTATIONS). KServe
 * sets those annotations only with `metricsaggregator.enablePrometheusScraping: "true"`, and then to
 * the queue-proxy's port 9091 (pkg/webhook/admission/pod/metrics_aggregate_injector.go,
 * DefaultPodPrometheusPort), not the model server's: the runtime's own port is in its
 * `prometheus.kserve.io/port` and `prometheus.kserve.io/path` annotations.
 */
function modelMetricsProblems(models: KubeObject[]): string[] {
  const kserve = mergeValues(
    loadPinnedChart('kserve-resources').values,
    readValues(path.join(CONFIGS_DIR, 'kserve/kserve.values.yaml')),
  ) as KubeObject;
  const problems: string[] = [];
  if (
    String(kserve.kserve.metricsaggregator.enablePrometheusScraping) === 'true'
  )
    problems.push(
      'configs/kserve/kserve.values.yaml: metricsaggregator.enablePrometheusScraping "true" points prometheus.io/port at the queue-proxy (9091), not the model server',
    );
  for (const isvc of models) {
    const name = `${isvc.metadata.namespace}/${isvc.metadata.name}`;
    const [runtime] = supportingRuntimes(RUNTIMES, isvc.spec.predictor.model);
    const own = runtime?.spec.annotations ?? {};
    const pod = predictorPodAnnotations(isvc, runtime);
    const wanted = {
      port: own['prometheus.kserve.io/port'],
      path: own['prometheus.kserve.io/path'],
    };
    const actual = {
      port: pod['prometheus.io/port'],
      path: pod['prometheus.io/path'],
    };
    if (!wanted.port || !wanted.path)
      problems.push(
        `${name}: runtime ${runtime?.metadata.name} names no metrics port`,
      );
    else if (
      actual.port !== wanted.port ||
      actual.path !== wanted.path ||
      pod['prometheus.io/scrape'] === 'false'
    )
      problems.push(
        `${name}: its pods name ${JSON.stringify(
          actual,
        )} for Prometheus, the model server (${
          runtime?.metadata.name
        }) serves ${JSON.stringify(wanted)}: Istio merges none of its series`,
      );
  }
  return problems;
}

const sampleModels = readObjects(path.join(CONFIGS_DIR, 'models')).filter(
  o => o.kind === 'InferenceService',
);

describe('observability (configs/observability)', () => {
  it('is written for the kube-prometheus-stack version the bootstrap installs', () => {
    const versions = fs.readFileSync(
      path.join(SCRIPTS_DIR, 'lib/versions.sh'),
      'utf8',
    );
    expect(versions).toContain(
      `KUBE_PROMETHEUS_STACK_VERSION="${PINNED_STACK}"`,
    );
    expect(tenantNamespaces).toEqual(['tenant-a', 'tenant-b', 'tenant-c']);
  });

  it('scrapes the model servers of exactly the namespaces labelled as tenant namespaces', () => {
    expect(keptNamespaces(job(values, 'kserve-predictors'))).toEqual(
      tenantNamespaces,
    );
  });

  it('keyed on a namespace label Prometheus never attaches before issue 16: no namespace was scraped', () => {
    const before = job(valuesBefore, 'kserve-predictors');
    expect(
      before.relabel_configs.map((r: KubeObject) => r.source_labels[0]),
    ).toContain(
      '__meta_kubernetes_namespace_label_inference_platform_io_tenant',
    );
    expect(keptNamespaces(before)).toEqual([]);
  });

  it("reads the model servers' metrics from the Istio sidecar's merged endpoint of predictor pods", () => {
    const kserve = job(values, 'kserve-predictors');
    const keeps = Object.fromEntries(
      kserve.relabel_configs
        .filter((r: KubeObject) => r.action === 'keep')
        .map((r: KubeObject) => [r.source_labels.join(';'), r.regex]),
    );
    expect(keeps).toMatchObject({
      __meta_kubernetes_pod_label_component: 'predictor',
      __meta_kubernetes_pod_annotation_prometheus_io_scrape: 'true',
      __meta_kubernetes_pod_container_name: 'istio-proxy',
    });
    // The sidecar is there: the tenant namespaces are labelled for injection.
    for (const ns of namespaces.filter(n =>
      tenantNamespaces.includes(n.metadata.name),
    ))
      expect(ns.metadata.labels['istio-injection']).toBe('enabled');
    const istiod = readValues(
      path.join(CONFIGS_DIR, 'istio/istiod.values.yaml'),
    );
    expect(istiod.meshConfig.enablePrometheusMerge).toBe(true);
  });

  it("labels the model servers' series with the tenant and model the dashboard filters on", () => {
    const targets = job(values, 'kserve-predictors')
      .relabel_configs.filter((r: KubeObject) => r.target_label)
      .map((r: KubeObject) => [r.source_labels.join(';'), r.target_label]);
    expect(targets).toEqual(
      expect.arrayContaining([
        ['__meta_kubernetes_namespace', 'tenant'],
        [
          '__meta_kubernetes_pod_label_serving_kserve_io_inferenceservice',
          'model',
        ],
      ]),
    );
    expect(exprs.join('\n')).toContain(
      'request_predict_seconds_bucket{tenant=~"$tenant", model=~"$model"}',
    );
  });

  it("merges each sample model server's own metrics into the sidecar's endpoint: its runtime's port and path on the predictor pods (finding 7)", () => {
    expect(sampleModels.map(m => m.metadata.name).sort()).toEqual([
      'huggingface-t5',
      'pytorch-resnet',
      'qwen-chat',
      'sklearn-iris',
    ]);
    expect(modelMetricsProblems(sampleModels)).toEqual([]);
  });

  it('merged none before issue 16: no predictor named its metrics port (finding 7)', () => {
    // configs/models as they were (commit 1a650ba): no prometheus.io annotations on any predictor.
    const before = sampleModels.map(m => ({
      ...m,
      spec: {
        ...m.spec,
        predictor: { ...m.spec.predictor, annotations: undefined },
      },
    }));
    expect(modelMetricsProblems(before)).toEqual(
      sampleModels.map(m =>
        expect.stringMatching(
          new RegExp(
            `^${m.metadata.namespace}/${m.metadata.name}: its pods name \\{\\}.*Istio merges none`,
          ),
        ),
      ),
    );
  });

  it("scrapes Envoy's stats and the AI Gateway's GenAI metrics where they are served", () => {
    expect(metricsOf(/\benvoy_[a-z_]+/g).length).toBeGreaterThan(0);
    expect(metricsOf(/\bgen_ai_[a-z_]+/g).length).toBeGreaterThan(0);
    // Envoy Gateway v1.9.0: the proxy's stats on container port 19001 `metrics`, path
    // /stats/prometheus (internal/xds/bootstrap/bootstrap.go EnvoyStatsPort).
    const envoy = job(values, 'envoy-gateway-proxies');
    expect(envoy.metrics_path).toBe('/stats/prometheus');
    expect(
      envoy.relabel_configs.find(
        (r: KubeObject) =>
          r.source_labels[0] === '__meta_kubernetes_pod_container_port_number',
      ).regex,
    ).toBe('19001');
    // Envoy AI Gateway v1.1.0: the external processor's admin port `aigw-admin` (1064) serves
    // /metrics (internal/controller/extproc_builder.go).
    const extproc = job(values, 'ai-gateway-extproc');
    expect(extproc.metrics_path).toBe('/metrics');
    expect(
      extproc.relabel_configs.find(
        (r: KubeObject) =>
          r.source_labels[0] === '__meta_kubernetes_pod_container_port_name',
      ).regex,
    ).toBe('aigw-admin');
    for (const gatewayJob of [envoy, extproc]) {
      expect(gatewayJob.kubernetes_sd_configs[0].namespaces.names).toEqual([
        'envoy-gateway-system',
      ]);
      expect(
        gatewayJob.relabel_configs.find(
          (r: KubeObject) =>
            r.source_labels[0] ===
            '__meta_kubernetes_pod_label_gateway_envoyproxy_io_owning_gateway_name',
        ).regex,
      ).toBe('ai-inference-gateway');
    }
  });

  it("breaks token usage down by the caller label the AI Gateway's metrics carry", () => {
    const aiGateway = readValues(
      path.join(CONFIGS_DIR, 'ai-gateway/ai-gateway.values.yaml'),
    );
    const attributes: string =
      aiGateway.controller.metricsRequestHeaderAttributes;
    const labels = attributes
      .split(',')
      .map(pair => sanitize(pair.split(':')[1]));
    expect(labels).toContain('client_id');
    expect(exprs.join('\n')).toContain(
      'sum by (client_id, gen_ai_request_model)',
    );
  });

  it("selects the dashboard's pickers on labels kube-state-metrics exports and the tenant namespaces carry", () => {
    const exported = exportedLabels(values);
    for (const { resource, label } of pickerLabels(dashboard))
      expect({
        resource,
        label,
        exported: exported[resource]?.includes(label),
      }).toEqual({
        resource,
        label,
        exported: true,
      });
    const { label, value } = tenantPickerFilter(dashboard);
    expect(label).toBe(`label_${sanitize(TENANT_LABEL)}`);
    expect(value).toBe('true');
  });

  it('mirrors the production scrape jobs the gateway double serves in the development Prometheus (prometheus.dev.yaml)', () => {
    const dev = readValues(
      path.join(CONFIGS_DIR, 'observability/prometheus.dev.yaml'),
    );
    const production = values.prometheus.prometheusSpec.additionalScrapeConfigs;
    // Every dev job is a production job with the same path; the gateway's three jobs and
    // kserve-predictors are there. Two paths differ, because the double's one port stands for
    // several (packages/gateway-sandbox metricsServer.ts): the collector's /metrics is
    // /otel-collector/metrics there, the ext_proc's /metrics being on the same port; and the
    // predictor sidecars' merged /stats/prometheus is /kserve-predictors/stats/prometheus, beside
    // Envoy's own /stats/prometheus.
    const devPath: Record<string, string> = {
      'gateway-access-log': '/otel-collector/metrics',
      'kserve-predictors': '/kserve-predictors/stats/prometheus',
    };
    // kserve-predictors names no metrics_path in production: each pod's `prometheus.io/path`
    // annotation becomes `__metrics_path__`, and Istio's injector, with enablePrometheusMerge (on,
    // checked above), sets it to the sidecar's merged /stats/prometheus (istio/istio 1.30.3
    // pkg/kube/inject/webhook.go applyPrometheusMerge), where its Istio metrics are too.
    const productionPath: Record<string, string> = {
      'kserve-predictors': '/stats/prometheus',
    };
    expect(job(values, 'kserve-predictors').metrics_path).toBeUndefined();
    expect(
      job(values, 'kserve-predictors').relabel_configs.find(
        (r: KubeObject) => r.target_label === '__metrics_path__',
      ).source_labels,
    ).toEqual(['__meta_kubernetes_pod_annotation_prometheus_io_path']);
    expect(devPath['kserve-predictors']).toBe(
      `/kserve-predictors${productionPath['kserve-predictors']}`,
    );
    expect(
      dev.scrape_configs.map((j: KubeObject) => [j.job_name, j.metrics_path]),
    ).toEqual(
      [
        'envoy-gateway-proxies',
        'ai-gateway-extproc',
        'gateway-access-log',
        'kserve-predictors',
      ].map(name => [name, devPath[name] ?? job(values, name).metrics_path]),
    );
    expect(job(values, 'gateway-access-log').metrics_path).toBe('/metrics');
    for (const name of ['gateway-access-log'])
      expect(
        dev.scrape_configs.find((j: KubeObject) => j.job_name === name)
          .metric_relabel_configs,
      ).toEqual(job(values, name).metric_relabel_configs);
    for (const devJob of dev.scrape_configs)
      expect(production.map((j: KubeObject) => j.job_name)).toContain(
        devJob.job_name,
      );
    // The gateway double's metrics port, as scripts/start.sh starts it.
    const startScript = fs.readFileSync(
      path.join(SCRIPTS_DIR, 'start.sh'),
      'utf8',
    );
    expect(startScript).toContain(
      'GATEWAY_METRICS_PORT="${GATEWAY_METRICS_PORT:-7481}"',
    );
    for (const devJob of dev.scrape_configs)
      expect(devJob.static_configs[0].targets).toEqual(['127.0.0.1:7481']);
  });

  it('selected tenants on a label kube-state-metrics does not export before issue 16', () => {
    const exported = exportedLabels(valuesBefore);
    const { label } = tenantPickerFilter(dashboardBefore);
    expect(exported.namespaces).not.toContain(label);
  });
});
