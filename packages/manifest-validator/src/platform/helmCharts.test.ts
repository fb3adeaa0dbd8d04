import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { listYamlFiles } from '../loadManifestFiles';
import { CONFIGS_DIR, SCRIPTS_DIR } from '../repoPaths';
import {
  Action,
  BEFORE_ISSUE_16,
  chartName,
  CURRENT,
  DOCKER_IMAGE_BUILT,
  objectsIn,
  planActions,
  resolveIn,
  Tree,
} from './bootstrapPlan';
import {
  checkValues,
  Excerpt,
  loadPinnedChart,
  mergeValues,
  PinnedChart,
  pinnedCharts,
  pinnedServingRuntimes,
  setFlagsToValues,
  supportingRuntimes,
  ValuesRules,
} from './pinnedCharts';

/**
 * The charts scripts/bootstrap.sh installs, against the charts' own Chart.yaml and values.yaml at
 * the pinned versions (vendored in packages/manifest-validator/charts, sha256-pinned, refreshed by
 * scripts/fetch-crds.sh): each chart name and version exists, every values file of configs/ and
 * every --set key is a key of its chart, and the serving runtimes the sample models need are
 * installed and enabled.
 */

/**
 * Charts whose Chart.yaml in git carries a placeholder version that the release tooling replaces
 * with the release tag when it packages the chart.
 */
const RELEASE_STAMPED: Record<string, { placeholder: string; cite: string }> = {
  'gateway-helm': {
    placeholder: 'v0.0.0-latest',
    cite: 'envoyproxy/gateway v1.9.0 tools/make/helm.mk: helm package --version ${CHART_VERSION}, CHART_VERSION ?= ${RELEASE_VERSION}',
  },
  'gateway-crds-helm': {
    placeholder: 'v0.0.0-latest',
    cite: 'envoyproxy/gateway v1.9.0 tools/make/helm.mk (as gateway-helm)',
  },
  'ai-gateway-helm': {
    placeholder: 'v0.0.0-latest',
    cite: 'envoyproxy/ai-gateway v1.1.0 Makefile: "TAG and HELM_CHART_VERSION are set to the same value when cutting a release"',
  },
  'ai-gateway-crds-helm': {
    placeholder: 'v0.0.0-latest',
    cite: 'envoyproxy/ai-gateway v1.1.0 Makefile (as ai-gateway-helm)',
  },
  base: {
    placeholder: '1.0.0',
    cite: 'istio/istio 1.30.3 manifests/charts/base/Chart.yaml: "istio/release-builder will replace it at build-time"',
  },
  istiod: {
    placeholder: '1.0.0',
    cite: 'istio/istio 1.30.3 manifests/charts/istio-control/istio-discovery/Chart.yaml (as base)',
  },
  'cert-manager': {
    placeholder: 'v0.0.0',
    cite: 'cert-manager/cert-manager v1.19.1 deploy/charts/cert-manager/Chart.template.yaml: "set automatically by the release tool"',
  },
};

/** Where the charts are published (OCI charts only). */
const REGISTRIES: Record<string, { prefix: string; cite: string }> = {
  'kserve-crd': {
    prefix: 'oci://ghcr.io/kserve/charts/',
    cite: 'kserve/kserve v0.20.0 hack/setup/infra/manage.kserve-helm.sh: CHART_REPO="oci://ghcr.io/kserve/charts"',
  },
  'kserve-resources': {
    prefix: 'oci://ghcr.io/kserve/charts/',
    cite: 'manage.kserve-helm.sh: RESOURCE_CHARTS+=("kserve-resources")',
  },
  'kserve-runtime-configs': {
    prefix: 'oci://ghcr.io/kserve/charts/',
    cite: 'manage.kserve-helm.sh: RUNTIME_CONFIG_CHART_NAME="kserve-runtime-configs"',
  },
  'gateway-helm': {
    prefix: 'oci://docker.io/envoyproxy/',
    cite: 'envoyproxy/gateway v1.9.0 tools/make/helm.mk: OCI_REGISTRY ?= oci://docker.io/envoyproxy',
  },
  'gateway-crds-helm': {
    prefix: 'oci://docker.io/envoyproxy/',
    cite: 'envoyproxy/gateway v1.9.0 tools/make/helm.mk',
  },
  'ai-gateway-helm': {
    prefix: 'oci://docker.io/envoyproxy/',
    cite: 'envoyproxy/ai-gateway v1.1.0 Makefile: OCI_REGISTRY ?= docker.io/envoyproxy, helm push oci://${OCI_REGISTRY}',
  },
  'ai-gateway-crds-helm': {
    prefix: 'oci://docker.io/envoyproxy/',
    cite: 'envoyproxy/ai-gateway v1.1.0 Makefile',
  },
};

/**
 * The fields of the EnvoyGateway configuration API that `config.envoyGateway` of gateway-helm is
 * merged into verbatim (templates/envoy-gateway-config.yaml); Envoy Gateway decodes the file without
 * rejecting unknown fields (internal/envoygateway/config/decoder.go), so a misspelt key would be
 * dropped silently. envoyproxy/gateway v1.9.0 api/v1alpha1/envoygateway_types.go: EnvoyGatewaySpec
 * (line 46), Gateway (337), EnvoyGatewayProvider (380), EnvoyGatewayLogging (282),
 * ExtensionAPISettings (348), RateLimit (654), RateLimitDatabaseBackend (727),
 * RateLimitRedisSettings (759), ExtensionManager (796), ExtensionHooks (860), XDSTranslatorHooks
 * (866), TranslationConfig (875-923), ExtensionService (927) with BackendEndpoint inline
 * (backend_types.go 58) and FQDNEndpoint (backend_types.go 108). `null`: not checked further.
 */
const ENVOY_GATEWAY_CONFIG: Excerpt = {
  gateway: { controllerName: '' },
  provider: { type: '', kubernetes: null, custom: null },
  logging: { level: {}, encoder: null },
  admin: null,
  telemetry: null,
  xdsServer: null,
  rateLimit: {
    backend: { type: '', redis: { url: '', urlRef: null, tls: null } },
    timeout: null,
    failClosed: false,
    telemetry: null,
  },
  extensionManager: {
    name: '',
    resources: [],
    policyResources: [],
    backendResources: [],
    hooks: {
      xdsTranslator: {
        pre: [],
        post: [],
        translation: {
          listener: { includeAll: false },
          route: { includeAll: false },
          cluster: { includeAll: false },
          secret: { includeAll: false },
        },
      },
    },
    service: {
      hostname: '',
      fqdn: { hostname: '', port: 0 },
      ip: null,
      unix: null,
      zone: '',
      host: '',
      port: 0,
      tls: null,
      retry: null,
    },
    failOpen: false,
    maxMessageSize: null,
  },
  extensionManagers: [],
  extensionApis: {
    enableEnvoyPatchPolicy: false,
    enableBackend: false,
    disableLua: false,
    enableLua: false,
    enableSDSSecretRef: false,
  },
  gatewayAPI: null,
  runtimeFlags: null,
  envoyProxy: null,
};

/**
 * The MeshConfig fields istiod's `meshConfig` value may set here (the chart's values.yaml lists
 * one): istio/api 1.30.3 mesh/v1alpha1/config.proto access_log_file (line 136), default_config (171),
 * trust_domain (249), enable_prometheus_merge (534); proxy.proto hold_application_until_proxy_starts
 * (594). Another MeshConfig field needs a row here, with its line.
 */
const MESH_CONFIG: Excerpt = {
  accessLogFile: '',
  defaultConfig: { holdApplicationUntilProxyStarts: false },
  trustDomain: '',
  enablePrometheusMerge: false,
};

const RULES: Record<string, ValuesRules> = {
  'gateway-helm': { excerpts: { 'config.envoyGateway': ENVOY_GATEWAY_CONFIG } },
  istiod: {
    excerpts: { meshConfig: MESH_CONFIG },
    // read by templates/zzz_profile.yaml besides the defaults
    extraTopLevelKeys: ['profile', 'compatibilityVersion', 'platform'],
  },
};

type HelmAction = Extract<Action, { type: 'helm' | 'helm-template' }>;

function helmActions(tree: Tree): HelmAction[] {
  return planActions(tree, DOCKER_IMAGE_BUILT).filter(
    (a): a is HelmAction => a.type === 'helm' || a.type === 'helm-template',
  );
}

const charts = pinnedCharts();

function pinnedChartOf(reference: string): PinnedChart | undefined {
  return charts.find(c => c.chart.name === chartName(reference));
}

/** Chart name, version and registry of every chart the bootstrap installs. */
function chartProblems(actions: HelmAction[]): string[] {
  const problems: string[] = [];
  for (const action of actions) {
    const pinned = pinnedChartOf(action.chart);
    if (!pinned) {
      problems.push(
        `${action.chart}: no pinned Chart.yaml named "${chartName(
          action.chart,
        )}" (pinned: ${charts.map(c => c.chart.name).join(', ')})`,
      );
      continue;
    }
    const stamped = RELEASE_STAMPED[pinned.chart.name];
    const versionOk =
      pinned.chart.version === action.version ||
      (stamped !== undefined &&
        pinned.chart.version === stamped.placeholder &&
        pinned.tag === action.version);
    if (!versionOk)
      problems.push(
        `${action.chart}: --version ${action.version}, the pinned Chart.yaml (${pinned.chartUrl}) is ${pinned.chart.version}`,
      );
    const registry = REGISTRIES[pinned.chart.name];
    if (registry && action.chart !== `${registry.prefix}${pinned.chart.name}`)
      problems.push(
        `${action.chart}: published as ${registry.prefix}${pinned.chart.name} (${registry.cite})`,
      );
  }
  return problems;
}

/** Every values file and --set key of every chart the bootstrap installs, key by key. */
function valuesProblems(actions: HelmAction[], tree: Tree): string[] {
  const problems: string[] = [];
  for (const action of actions) {
    const pinned = pinnedChartOf(action.chart);
    if (!pinned) continue;
    const rules = RULES[pinned.chart.name];
    for (const file of action.valuesFiles) {
      const values = parse(fs.readFileSync(resolveIn(tree, file), 'utf8'));
      for (const problem of checkValues(pinned, values, rules))
        problems.push(`${file} (chart ${pinned.chart.name}): ${problem}`);
    }
    for (const problem of checkValues(
      pinned,
      setFlagsToValues(action.sets),
      rules,
    ))
      problems.push(
        `--set of ${action.release} (chart ${pinned.chart.name}): ${problem}`,
      );
  }
  return problems;
}

// --- serving runtimes --------------------------------------------------------------------------

/**
 * The value that disables each ClusterServingRuntime: kserve/kserve v0.20.0
 * charts/kserve-runtime-configs/files/runtimes/clusterservingruntimes-patch.yaml
 * (`disabled: {{ .Values.kserve.servingruntime.<key>.disabled }}`).
 */
const RUNTIME_VALUES_KEY: Record<string, string> = {
  'kserve-autogluonserver': 'autogluonserver',
  'kserve-huggingfaceserver': 'huggingfaceserver',
  'kserve-huggingfaceserver-multinode': 'huggingfaceserver',
  'kserve-lgbserver': 'lgbserver',
  'kserve-mlserver': 'mlserver',
  'kserve-paddleserver': 'paddleserver',
  'kserve-pmmlserver': 'pmmlserver',
  'kserve-predictiveserver': 'predictiveserver',
  'kserve-sklearnserver': 'sklearnserver',
  'kserve-tensorflow-serving': 'tensorflow',
  'kserve-torchserve': 'torchserve',
  'kserve-tritonserver': 'tritonserver',
  'kserve-xgbserver': 'xgbserver',
};

/**
 * The runtime KServe picks for each InferenceService of configs/models among the runtimes the plan
 * installs and enables (`supportingRuntimes`). Problems when the plan installs none.
 */
function runtimeSelection(actions: HelmAction[], tree: Tree) {
  const problems: string[] = [];
  const selected = new Map<string, string>();
  const install = actions.find(
    a => a.type === 'helm' && chartName(a.chart) === 'kserve-runtime-configs',
  );
  if (!install)
    problems.push(
      'no install of chart kserve-runtime-configs: no ClusterServingRuntime exists',
    );
  const chart = loadPinnedChart('kserve-runtime-configs');
  const values = mergeValues(
    chart.values,
    ...(install?.valuesFiles ?? []).map(f =>
      parse(fs.readFileSync(resolveIn(tree, f), 'utf8')),
    ),
    setFlagsToValues(install?.sets ?? []),
  ) as any;
  const settings = values?.kserve?.servingruntime ?? {};
  if (install && settings.enabled !== true && settings.enabled !== 'true')
    problems.push(
      'kserve-runtime-configs is installed with kserve.servingruntime.enabled off',
    );
  const runtimes = pinnedServingRuntimes().filter(
    r =>
      install &&
      String(settings.enabled) === 'true' &&
      String(settings[RUNTIME_VALUES_KEY[r.metadata.name]]?.disabled) !==
        'true',
  );
  for (const isvc of objectsIn(tree, 'configs/models').filter(
    o => o.kind === 'InferenceService',
  )) {
    const model = isvc.spec.predictor.model;
    const [best] = supportingRuntimes(runtimes, model);
    const name = `${isvc.metadata.namespace}/${isvc.metadata.name}`;
    if (!best)
      problems.push(
        `${name}: no ClusterServingRuntime for modelFormat ${model.modelFormat.name} (NoSupportingRuntime)`,
      );
    else selected.set(name, best.metadata.name);
  }
  return { problems, selected };
}

function bootstrapRuntimes(): string[] {
  const text = fs.readFileSync(path.join(SCRIPTS_DIR, 'bootstrap.sh'), 'utf8');
  const match = /^KSERVE_RUNTIMES=\(([^)]*)\)/m.exec(text);
  return match ? match[1].trim().split(/\s+/) : [];
}

// --- the checks ------------------------------------------------------------------------------------

describe('charts the bootstrap installs, against their pinned Chart.yaml and values.yaml', () => {
  const actions = helmActions(CURRENT);

  it('installs the charts of every component, each by a name and version that exist', () => {
    expect(actions.map(a => chartName(a.chart)).sort()).toEqual(
      [
        'ai-gateway-crds-helm',
        'ai-gateway-helm',
        'base',
        'cert-manager',
        'gateway-crds-helm',
        'gateway-helm',
        'istiod',
        'kserve-crd',
        'kserve-resources',
        'kserve-runtime-configs',
        'kube-prometheus-stack',
      ].sort(),
    );
    expect(chartProblems(actions)).toEqual([]);
  });

  it('uses only keys of the charts in configs/*.values.yaml and --set', () => {
    expect(valuesProblems(actions, CURRENT)).toEqual([]);
  });

  it('passes every values file under configs/ to a chart', () => {
    const valuesFiles = listYamlFiles(CONFIGS_DIR)
      .filter(f => /\.values\.ya?ml$/.test(f))
      .map(f => `configs/${f}`);
    expect(valuesFiles.length).toBeGreaterThanOrEqual(6);
    const used = new Set(actions.flatMap(a => a.valuesFiles));
    expect(valuesFiles.filter(f => !used.has(f))).toEqual([]);
  });

  it('pins kube-prometheus-stack subcharts at the versions its Chart.yaml depends on', () => {
    const kps = loadPinnedChart('kube-prometheus-stack');
    const versions = fs.readFileSync(
      path.join(SCRIPTS_DIR, 'lib/versions.sh'),
      'utf8',
    );
    for (const [name, variable] of [
      ['grafana', 'KPS_GRAFANA_VERSION'],
      ['kube-state-metrics', 'KPS_KUBE_STATE_METRICS_VERSION'],
      ['prometheus-node-exporter', 'KPS_NODE_EXPORTER_VERSION'],
    ]) {
      const dependency = kps.chart.dependencies?.find(d => d.name === name);
      const pinned = new RegExp(`^${variable}="([^"]+)"`, 'm').exec(
        versions,
      )?.[1];
      expect([name, pinned]).toEqual([name, dependency?.version]);
      expect([
        name,
        loadPinnedChart(`kube-prometheus-stack/charts/${name}`).chart.version,
      ]).toEqual([name, dependency?.version]);
    }
  });
});

describe('the values check', () => {
  const kserve = loadPinnedChart('kserve-resources');

  it('names the path of a key the chart does not have', () => {
    expect(
      checkValues(kserve, {
        kserve: { controller: { gateway: { disableIstioVirtualHosts: true } } },
      }),
    ).toEqual([
      "kserve.controller.gateway.disableIstioVirtualHosts: not a key of the chart's values",
    ]);
  });

  it('leaves free maps free and checks shapes', () => {
    expect(
      checkValues(kserve, {
        kserve: {
          controller: {
            labels: { any: 'x' },
            gateway: 'x',
            deploymentMode: { a: 1 },
          },
        },
      }),
    ).toEqual([
      'kserve.controller.gateway: the chart expects a map here',
      'kserve.controller.deploymentMode: the chart expects a single value here',
    ]);
  });

  it("checks subchart values against the subchart's own values.yaml", () => {
    const kps = loadPinnedChart('kube-prometheus-stack');
    expect(
      checkValues(kps, { grafana: { admin: { existingSecret: 'x' } } }),
    ).toEqual([]);
    expect(
      checkValues(kps, { grafana: { admin: { existingSecrets: 'x' } } }),
    ).toEqual([
      "grafana.admin.existingSecrets: not a key of the chart's values",
    ]);
  });

  it("checks Envoy Gateway's configuration and Istio's mesh config against their API excerpts", () => {
    const eg = loadPinnedChart('gateway-helm');
    expect(
      checkValues(
        eg,
        {
          config: {
            envoyGateway: { rateLimit: { backend: { redis: { uri: 'x' } } } },
          },
        },
        RULES['gateway-helm'],
      ),
    ).toEqual([
      "config.envoyGateway.rateLimit.backend.redis.uri: not a key of the chart's values",
    ]);
    const istiod = loadPinnedChart('istiod');
    expect(
      checkValues(
        istiod,
        { meshConfig: { accessLogFiles: 'x' } },
        RULES.istiod,
      ),
    ).toEqual(["meshConfig.accessLogFiles: not a key of the chart's values"]);
    // the defaults of Istio's charts sit under _internal_defaults_do_not_set
    expect(
      checkValues(
        istiod,
        { resources: { requests: { cpu: '1' } } },
        RULES.istiod,
      ),
    ).toEqual([]);
  });
});

describe('serving runtimes for the sample models', () => {
  it('installs kserve-runtime-configs with an enabled runtime for every model of configs/models', () => {
    const { problems, selected } = runtimeSelection(
      helmActions(CURRENT),
      CURRENT,
    );
    expect(problems).toEqual([]);
    expect(Object.fromEntries(selected)).toEqual({
      'tenant-a/sklearn-iris': 'kserve-sklearnserver',
      'tenant-a/qwen-chat': 'kserve-huggingfaceserver',
      'tenant-b/huggingface-t5': 'kserve-huggingfaceserver',
      'tenant-c/pytorch-resnet': 'kserve-torchserve',
    });
    // what scripts/bootstrap.sh verifies on the cluster
    expect(bootstrapRuntimes().sort()).toEqual(
      [...new Set(selected.values())].sort(),
    );
  });
});

describe('findings 1 and 3 of issue 16, before it: the bootstrap as it was', () => {
  const before = helmActions(BEFORE_ISSUE_16);

  it('installed KServe as chart "kserve", which does not exist at v0.20.0 (finding 1)', () => {
    expect(chartProblems(before)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^oci:\/\/ghcr\.io\/kserve\/charts\/kserve: no pinned Chart\.yaml named "kserve"/,
        ),
      ]),
    );
  });

  it('installed no serving runtime: every sample model ends NoSupportingRuntime (finding 3)', () => {
    const { problems } = runtimeSelection(before, BEFORE_ISSUE_16);
    expect(problems).toEqual(
      expect.arrayContaining([
        'no install of chart kserve-runtime-configs: no ClusterServingRuntime exists',
        'tenant-a/sklearn-iris: no ClusterServingRuntime for modelFormat sklearn (NoSupportingRuntime)',
      ]),
    );
  });
});
