import { KINDS } from '@inference-in-a-box/backstage-plugin-inference-node';
import {
  ANNOTATION_FRAMEWORK,
  ANNOTATION_MODEL_TYPE,
  LABEL_MANAGED_BY,
  LABEL_MODEL,
  LABEL_TENANT,
  MANAGED_BY_PORTAL,
  ModelFramework,
  ModelSpec,
  toLabelValue,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  InferenceServiceObject,
  KubeContainer,
  KServePredictorSpec,
} from './types';

/** Annotation that selects KServe's deployment mode (`Standard` = raw Deployment + HPA, `Knative`). */
export const ANNOTATION_DEPLOYMENT_MODE = 'serving.kserve.io/deploymentMode';
/** Container name KServe expects for the serving container of a custom predictor. */
export const KSERVE_CONTAINER_NAME = 'kserve-container';
export const GPU_RESOURCE = 'nvidia.com/gpu';

/** Where {@link RUNTIME_METRICS} is taken from (the pinned copy's tag in its sources.tsv). */
export const RUNTIME_METRICS_SOURCE = {
  tag: 'v0.20.0',
  file: 'kserve-runtime-configs/files/runtimes/resources.yaml',
  url: 'https://raw.githubusercontent.com/kserve/kserve/v0.20.0/charts/kserve-runtime-configs/files/runtimes/resources.yaml',
} as const;

/**
 * The metrics port and path of the model server each built-in framework runs on: the
 * ClusterServingRuntime KServe picks for `modelFormat: { name: <framework> }` at the default
 * protocol (v1), and that runtime's own `prometheus.kserve.io/port` and `prometheus.kserve.io/path`
 * annotations. Copied from kserve/kserve v0.20.0
 * charts/kserve-runtime-configs/files/runtimes/resources.yaml (see RUNTIME_METRICS_SOURCE; pinned
 * copy in packages/manifest-validator/charts, listed in its sources.tsv);
 * buildInferenceService.test.ts holds this table against that copy, so bump both together.
 *
 * `onnx`: only kserve-tritonserver serves it, and only over protocol v2, so the builder asks for
 * v2 for onnx ({@link PROTOCOL_V2_FRAMEWORKS}).
 */
export const RUNTIME_METRICS: Record<
  Exclude<ModelFramework, 'custom-openai'>,
  { runtime: string; port: string; path: string }
> = {
  sklearn: { runtime: 'kserve-sklearnserver', port: '8080', path: '/metrics' },
  xgboost: { runtime: 'kserve-xgbserver', port: '8080', path: '/metrics' },
  lightgbm: { runtime: 'kserve-lgbserver', port: '8080', path: '/metrics' },
  tensorflow: {
    runtime: 'kserve-tensorflow-serving',
    port: '8080',
    path: '/metrics',
  },
  pytorch: { runtime: 'kserve-torchserve', port: '8082', path: '/metrics' },
  onnx: { runtime: 'kserve-tritonserver', port: '8002', path: '/metrics' },
  huggingface: {
    runtime: 'kserve-huggingfaceserver',
    port: '8080',
    path: '/metrics',
  },
};

/**
 * Frameworks that no runtime of the same file serves over KServe's default protocol (v1): their
 * predictor asks for `protocolVersion: v2`, otherwise KServe v0.20 finds no supporting runtime
 * (pkg/apis/serving/v1beta1/predictor_model.go, `GetSupportingRuntimes` matches the model's
 * protocol, v1 when unset) and the model ends `NoSupportingRuntime`.
 */
export const PROTOCOL_V2_FRAMEWORKS: ReadonlySet<ModelFramework> = new Set([
  'onnx',
]);

/**
 * `prometheus.io/port` and `prometheus.io/path` for the predictor pods: with them Istio's metrics
 * merge adds the model server's own series to the sidecar's :15020/stats/prometheus, which
 * configs/observability scrapes, as the predictors of configs/models do (KServe's
 * `metricsaggregator.enablePrometheusScraping` stays at its default "false").
 */
function metricsAnnotations(
  framework: keyof typeof RUNTIME_METRICS,
): Record<string, string> {
  const { port, path } = RUNTIME_METRICS[framework];
  return { 'prometheus.io/port': port, 'prometheus.io/path': path };
}

export interface BuildInferenceServiceOptions {
  /** Tenant (catalog group) name for the ownership label; omitted when the caller has none. */
  tenant?: string;
}

function containerResources(spec: ModelSpec): KubeContainer['resources'] {
  const resources = spec.resources;
  if (!resources) {
    return undefined;
  }
  const requests = { ...resources.requests };
  const limits: Record<string, string> = { ...resources.limits };
  // Extended resources such as GPUs are set as limits only; Kubernetes copies them to requests.
  if (resources.gpu) {
    limits[GPU_RESOURCE] = String(resources.gpu);
  }
  const result: NonNullable<KubeContainer['resources']> = {};
  if (Object.keys(requests).length > 0) result.requests = requests;
  if (Object.keys(limits).length > 0) result.limits = limits;
  return Object.keys(result).length > 0 ? result : undefined;
}

/** Drops keys whose value is undefined, so built objects compare and serialise cleanly. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

function predictorFor(spec: ModelSpec): KServePredictorSpec {
  const scaling = compact({
    minReplicas: spec.minReplicas,
    maxReplicas: spec.maxReplicas,
    scaleMetric: spec.scaleMetric,
    scaleTarget: spec.scaleTarget,
    canaryTrafficPercent: spec.canaryTrafficPercent,
  });
  const args = spec.args && spec.args.length > 0 ? spec.args : undefined;
  if (spec.framework === 'custom-openai') {
    // A custom container must listen on 8080 (KServe's port for custom predictors), e.g. vLLM with
    // `--port=8080`. KServe's storage initializer honours STORAGE_URI on the serving container
    // and mounts the model at /mnt/models.
    // No prometheus.io annotations: this container declares no port (`ports`), and which port and
    // path an arbitrary image serves metrics on, if any, is up to the image, not to a KServe
    // runtime. With nothing to take them from they are left out rather than guessed.
    const container: KubeContainer = compact({
      name: KSERVE_CONTAINER_NAME,
      image: spec.image,
      args,
      env: spec.storageUri
        ? [{ name: 'STORAGE_URI', value: spec.storageUri }]
        : undefined,
      resources: containerResources(spec),
    });
    return { ...scaling, containers: [container] };
  }
  return {
    annotations: metricsAnnotations(spec.framework),
    ...scaling,
    model: compact({
      modelFormat: { name: spec.framework },
      protocolVersion: PROTOCOL_V2_FRAMEWORKS.has(spec.framework)
        ? 'v2'
        : undefined,
      storageUri: spec.storageUri,
      args,
      resources: containerResources(spec),
    }),
  };
}

/**
 * The KServe v0.20 InferenceService for a validated model spec, in the tenant's namespace.
 * Built-in frameworks use `spec.predictor.model.modelFormat` (KServe picks the runtime) and name
 * that runtime's metrics port and path on the predictor ({@link RUNTIME_METRICS});
 * `custom-openai` runs the given image as the predictor's only container.
 */
export function buildInferenceService(
  tenantNamespace: string,
  spec: ModelSpec,
  options: BuildInferenceServiceOptions = {},
): InferenceServiceObject {
  const labels: Record<string, string> = {
    [LABEL_MANAGED_BY]: MANAGED_BY_PORTAL,
    [LABEL_MODEL]: toLabelValue(spec.name),
  };
  if (options.tenant !== undefined) {
    labels[LABEL_TENANT] = toLabelValue(options.tenant);
  }
  const annotations: Record<string, string> = {
    [ANNOTATION_DEPLOYMENT_MODE]: spec.deploymentMode,
    [ANNOTATION_FRAMEWORK]: spec.framework,
  };
  if (spec.modelType) {
    annotations[ANNOTATION_MODEL_TYPE] = spec.modelType;
  }
  return {
    ...KINDS.inferenceService,
    metadata: {
      name: spec.name,
      namespace: tenantNamespace,
      labels,
      annotations,
    },
    spec: { predictor: predictorFor(spec) },
  };
}
