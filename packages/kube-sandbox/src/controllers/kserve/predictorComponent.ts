import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject } from '../../store/types';
import { ControllerClient } from '../controllerClient';
import { RUNTIME_FOR_FORMAT, RUNTIME_IMAGE } from '../knownRuntimes';

/**
 * The predictor's object metadata and pod spec as KServe builds them, re-expressed from kserve/kserve
 * v0.20.0 pkg/controller/v1beta1/inferenceservice/components/predictor.go
 * (`buildPredictorResources`, `buildObjectMeta`, `buildPodSpec`) and pkg/constants/constants.go.
 * Runtimes are resolved as far as the sandbox can: a ServingRuntime or ClusterServingRuntime in the
 * sandbox gives its container (image, args, ports); KServe's default runtimes give a container with
 * the runtime's image (knownRuntimes.ts `RUNTIME_IMAGE`) and no ports (none of KServe's runtime manifests in
 * config/runtimes declares ports).
 */

type Json = Record<string, unknown>;

export const ISVC_LABEL = 'serving.kserve.io/inferenceservice';
export const COMPONENT_LABEL = 'component';
export const DEPLOYMENT_MODE_ANNOTATION = 'serving.kserve.io/deploymentMode';
export const STORAGE_URI_ANNOTATION =
  'internal.serving.kserve.io/storage-initializer-sourceuri';
/** `constants.ServiceAnnotationDisallowedList`: isvc annotations not copied onto the predictor. */
const DISALLOWED_ANNOTATIONS = new Set([
  'autoscaling.knative.dev/min-scale',
  'autoscaling.knative.dev/max-scale',
  STORAGE_URI_ANNOTATION,
  'kubectl.kubernetes.io/last-applied-configuration',
  'modelFormat',
]);
export const CONTAINER_NAME = 'kserve-container';

export type DeploymentMode = 'Standard' | 'Knative' | 'ModelMesh';

/**
 * The mode KServe deploys an InferenceService in (`isvcutils.GetDeploymentMode`): the one recorded
 * in its status, else the annotation (legacy `RawDeployment` meaning Standard and `Serverless`
 * meaning Knative), else the platform default, Standard (configs/kserve/kserve.values.yaml).
 */
export function deploymentModeOf(isvc: KubeObject): DeploymentMode {
  const status = isPlainObject(isvc.status) ? isvc.status : {};
  const raw =
    (typeof status.deploymentMode === 'string' && status.deploymentMode) ||
    isvc.metadata.annotations?.[DEPLOYMENT_MODE_ANNOTATION] ||
    '';
  if (raw === 'Knative' || raw === 'Serverless') return 'Knative';
  if (raw === 'ModelMesh') return 'ModelMesh';
  return 'Standard';
}

export function predictorOf(isvc: KubeObject): Json {
  const spec = isPlainObject(isvc.spec) ? isvc.spec : {};
  return isPlainObject(spec.predictor) ? spec.predictor : {};
}

/** `<isvc>-predictor`, or `<isvc>-<predictor name>-predictor` (`constants.PredictorServiceName`). */
export function predictorName(isvc: KubeObject): string {
  const name = predictorOf(isvc).name;
  return typeof name === 'string' && name
    ? `${isvc.metadata.name}-${name}-predictor`
    : `${isvc.metadata.name}-predictor`;
}

/** The predictor's ObjectMeta: name, labels and annotations (predictor > isvc > runtime). */
export function componentMeta(isvc: KubeObject): KubeObject['metadata'] {
  const predictor = predictorOf(isvc);
  const model = isPlainObject(predictor.model) ? predictor.model : {};
  const annotations = Object.fromEntries(
    Object.entries(isvc.metadata.annotations ?? {}).filter(
      ([key]) => !DISALLOWED_ANNOTATIONS.has(key),
    ),
  );
  if (typeof model.storageUri === 'string') {
    annotations[STORAGE_URI_ANNOTATION] = model.storageUri;
  }
  return {
    name: predictorName(isvc),
    namespace: isvc.metadata.namespace,
    labels: {
      ...isvc.metadata.labels,
      ...(predictor.labels as Record<string, string>),
      [ISVC_LABEL]: isvc.metadata.name!,
      [COMPONENT_LABEL]: 'predictor',
    },
    annotations: {
      ...annotations,
      ...(predictor.annotations as Record<string, string>),
    },
  };
}

/** The runtime container for a model predictor: from a runtime in the sandbox, else a default one. */
function runtimeContainer(
  client: ControllerClient,
  isvc: KubeObject,
  model: Json,
): Json {
  const format = isPlainObject(model.modelFormat)
    ? String(model.modelFormat.name).toLowerCase()
    : '';
  const runtimeName =
    typeof model.runtime === 'string' ? model.runtime : undefined;
  const runtimes = [
    ...client.list(
      'serving.kserve.io/v1alpha1',
      'ServingRuntime',
      isvc.metadata.namespace,
    ),
    ...client.list('serving.kserve.io/v1alpha1', 'ClusterServingRuntime'),
  ];
  const supports = (runtime: KubeObject) => {
    const spec = isPlainObject(runtime.spec) ? runtime.spec : {};
    const formats = Array.isArray(spec.supportedModelFormats)
      ? spec.supportedModelFormats
      : [];
    return formats.some(
      f => isPlainObject(f) && String(f.name).toLowerCase() === format,
    );
  };
  const runtime = runtimeName
    ? runtimes.find(r => r.metadata.name === runtimeName)
    : runtimes.find(supports);
  const spec = runtime && isPlainObject(runtime.spec) ? runtime.spec : {};
  const containers = Array.isArray(spec.containers)
    ? spec.containers.filter(isPlainObject)
    : [];
  const fromRuntime =
    containers.find(c => c.name === CONTAINER_NAME) ?? containers[0];
  if (fromRuntime) return structuredClone(fromRuntime);
  const builtin = runtimeName ?? RUNTIME_FOR_FORMAT[format] ?? 'kserve-custom';
  return {
    name: CONTAINER_NAME,
    image:
      RUNTIME_IMAGE[builtin] ??
      `kserve/${builtin.replace(/^kserve-/, '')}:latest`,
  };
}

/** The predictor's pod spec: the runtime container merged with the model's, plus `INFERENCE_SERVICE_NAME`. */
export function predictorPodSpec(
  client: ControllerClient,
  isvc: KubeObject,
): Json {
  const predictor = predictorOf(isvc);
  const { model, containers, ...podFields } = predictor;
  let podContainers: Json[];
  if (isPlainObject(model)) {
    const base = runtimeContainer(client, isvc, model);
    const args = [
      ...((base.args as string[]) ?? []).map(a =>
        a.replace(/\{\{\.Name\}\}/g, isvc.metadata.name!),
      ),
      ...((model.args as string[]) ?? []),
    ];
    podContainers = [
      {
        ...base,
        ...(args.length > 0 ? { args } : {}),
        ...(model.env ? { env: model.env } : {}),
        ...(model.resources ? { resources: model.resources } : {}),
      },
    ];
  } else {
    podContainers = Array.isArray(containers)
      ? containers.filter(isPlainObject).map(c => ({ ...c }))
      : [];
  }
  for (const container of podContainers) {
    const env = Array.isArray(container.env) ? container.env : [];
    container.env = [
      ...env,
      { name: 'INFERENCE_SERVICE_NAME', value: isvc.metadata.name },
    ];
  }
  const podSpec: Json = { containers: podContainers };
  for (const key of [
    'serviceAccountName',
    'nodeSelector',
    'tolerations',
    'affinity',
    'volumes',
    'imagePullSecrets',
  ]) {
    if (podFields[key] !== undefined) podSpec[key] = podFields[key];
  }
  return podSpec;
}

/** `minReplicas`, at least 1 (an HPA never scales below 1; Knative starts a revision at one pod). */
export function initialReplicas(isvc: KubeObject): number {
  const min = predictorOf(isvc).minReplicas;
  return typeof min === 'number' && min > 1 ? min : 1;
}
