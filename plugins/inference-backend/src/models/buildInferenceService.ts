import { KINDS } from '@internal/backstage-plugin-inference-node';
import {
  ANNOTATION_FRAMEWORK,
  ANNOTATION_MODEL_TYPE,
  LABEL_MANAGED_BY,
  LABEL_MODEL,
  LABEL_TENANT,
  MANAGED_BY_PORTAL,
  ModelSpec,
  toLabelValue,
} from '@internal/backstage-plugin-inference-common';
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
    ...scaling,
    model: compact({
      modelFormat: { name: spec.framework },
      storageUri: spec.storageUri,
      args,
      resources: containerResources(spec),
    }),
  };
}

/**
 * The KServe v0.20 InferenceService for a validated model spec, in the tenant's namespace.
 * Built-in frameworks use `spec.predictor.model.modelFormat` (KServe picks the runtime);
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
