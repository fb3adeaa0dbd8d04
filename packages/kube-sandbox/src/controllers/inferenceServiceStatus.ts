import { kubeTimestamp } from '../apply/trackedFields';
import { isPlainObject } from '../schema/structuralValidator';
import { KubeObject } from '../store/types';
import {
  KNOWN_MODEL_FORMATS,
  KNOWN_RUNTIMES,
  V2_ONLY_MODEL_FORMATS,
} from './knownRuntimes';
import { predictorName } from './kserve/predictorComponent';

/** Runtimes and formats available in the sandbox besides the built-in lists. */
export interface RuntimeInventory {
  runtimeNames: string[];
  /** Formats named in ServingRuntimes' `spec.supportedModelFormats`. */
  modelFormats: string[];
}

type Json = Record<string, unknown>;

/**
 * Predictor shorthand keys of the pre-`model` KServe API, e.g. `spec.predictor.sklearn`: the
 * formats KServe ships runtimes for, except those that only exist as `model.modelFormat`.
 */
const LEGACY_FRAMEWORK_KEYS = KNOWN_MODEL_FORMATS.filter(
  f => f !== 'mlflow' && f !== 'vllm',
);

interface RuntimeProblem {
  reason: 'RuntimeNotRecognized' | 'NoSupportingRuntime';
  message: string;
}

/** Why KServe would not find a runtime for this predictor, if it would not. */
export function findRuntimeProblem(
  isvc: KubeObject,
  inventory: RuntimeInventory,
): RuntimeProblem | undefined {
  const spec = isPlainObject(isvc.spec) ? isvc.spec : {};
  const predictor: Json = isPlainObject(spec.predictor) ? spec.predictor : {};
  const model: Json | undefined = isPlainObject(predictor.model)
    ? predictor.model
    : undefined;
  if (model) {
    const runtime = model.runtime;
    if (
      typeof runtime === 'string' &&
      !KNOWN_RUNTIMES.includes(runtime) &&
      !inventory.runtimeNames.includes(runtime)
    ) {
      return {
        reason: 'RuntimeNotRecognized',
        message: `Specified runtime "${runtime}" is not recognized`,
      };
    }
    const format = isPlainObject(model.modelFormat)
      ? model.modelFormat.name
      : undefined;
    if (
      typeof format === 'string' &&
      !KNOWN_MODEL_FORMATS.includes(format.toLowerCase()) &&
      !inventory.modelFormats.includes(format)
    ) {
      return {
        reason: 'NoSupportingRuntime',
        message: `No runtime found to support predictor with model type: ${format}`,
      };
    }
    // A runtime named explicitly is not auto-selected, so only the auto-selection checks the
    // protocol; ServingRuntimes of the sandbox may serve the format over v1.
    const protocol =
      typeof model.protocolVersion === 'string' ? model.protocolVersion : 'v1';
    if (
      typeof runtime !== 'string' &&
      typeof format === 'string' &&
      protocol === 'v1' &&
      V2_ONLY_MODEL_FORMATS.includes(format.toLowerCase()) &&
      !inventory.modelFormats.includes(format)
    ) {
      return {
        reason: 'NoSupportingRuntime',
        message: `No runtime found to support predictor with model type: ${format}`,
      };
    }
    return undefined;
  }
  const hasContainers =
    Array.isArray(predictor.containers) && predictor.containers.length > 0;
  const hasLegacyFramework = LEGACY_FRAMEWORK_KEYS.some(k =>
    isPlainObject(predictor[k]),
  );
  if (!hasContainers && !hasLegacyFramework) {
    return {
      reason: 'NoSupportingRuntime',
      message: 'The predictor names no model, framework or container',
    };
  }
  return undefined;
}

/** KServe-style condition (Knative `apis.Condition` shape). */
function kserveCondition(
  type: string,
  ready: boolean,
  reason?: string,
  message?: string,
) {
  return {
    type,
    status: ready ? 'True' : 'False',
    lastTransitionTime: kubeTimestamp(),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

/** The model status of a predictor that is up (KServe's `PropagateModelStatus` with its pods ready). */
const LOADED = {
  transitionStatus: 'UpToDate',
  states: { activeModelState: 'Loaded', targetModelState: 'Loaded' },
  copies: { failedCopies: 0, totalCopies: 1 },
};

/** The conditions sorted by type, as Knative's condition sets keep them (knative.dev/pkg apis). */
const sortedByType = <T extends { type: string }>(conditions: T[]) =>
  [...conditions].sort((a, b) => {
    if (a.type === b.type) return 0;
    return a.type < b.type ? -1 : 1;
  });

/**
 * The status KServe would eventually write: Ready with URLs, or not ready
 * with the runtime problem. In Standard mode the URLs follow KServe's default domain template
 * `{{.Name}}-{{.Namespace}}.{{.IngressDomain}}` with domain `example.com`, and the cluster-local
 * predictor Service name; in Knative mode they come from the Knative Service `ksvc`
 * ({@link knativeInferenceServiceStatus}).
 */
export function inferenceServiceStatus(
  isvc: KubeObject,
  inventory: RuntimeInventory,
  deploymentMode: string,
  ksvc?: KubeObject,
): Json {
  const { name, namespace, generation } = isvc.metadata;
  const problem = findRuntimeProblem(isvc, inventory);
  if (problem) {
    return {
      observedGeneration: generation,
      deploymentMode,
      conditions: [
        kserveCondition(
          'PredictorReady',
          false,
          problem.reason,
          problem.message,
        ),
        kserveCondition('Ready', false, problem.reason, problem.message),
      ],
      modelStatus: {
        transitionStatus: 'InvalidSpec',
        states: { activeModelState: '', targetModelState: 'FailedToLoad' },
        lastFailureInfo: {
          reason: problem.reason,
          message: problem.message,
          time: kubeTimestamp(),
        },
      },
    };
  }
  if (deploymentMode === 'Knative') {
    return knativeInferenceServiceStatus(isvc, ksvc);
  }
  const predictorAddress = `http://${name}-predictor.${namespace}.svc.cluster.local`;
  return {
    observedGeneration: generation,
    deploymentMode,
    url: `http://${name}-${namespace}.example.com`,
    address: { url: predictorAddress },
    components: {
      predictor: {
        url: `http://${name}-predictor-${namespace}.example.com`,
        address: { url: predictorAddress },
      },
    },
    conditions: [
      kserveCondition('IngressReady', true),
      kserveCondition('PredictorReady', true),
      kserveCondition('Ready', true),
    ],
    modelStatus: LOADED,
  };
}

type ConditionStatus = 'True' | 'False' | 'Unknown';
interface KnativeCondition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
}

function conditionIn(status: Json, type: string): KnativeCondition | undefined {
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  const found = conditions.find(c => isPlainObject(c) && c.type === type);
  return found as KnativeCondition | undefined;
}

function statusCondition(
  type: string,
  status: ConditionStatus,
  reason?: string,
  message?: string,
) {
  return {
    type,
    status,
    lastTransitionTime: kubeTimestamp(),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

/**
 * The status KServe writes for a Knative-mode InferenceService from its Knative Service's status,
 * re-expressed from kserve/kserve v0.20.0 with the platform's ingress settings
 * (configs/kserve/kserve.values.yaml: `disableIstioVirtualHost: true`, `urlScheme` left at the
 * chart's `http`, no `pathTemplate`):
 *
 * - `components.predictor` (pkg/apis/serving/v1beta1/inference_service_status.go `PropagateStatus`):
 *   the Knative Service's latest created and ready revisions, the revision last rolled out to 100%
 *   of the traffic (`latestRolledoutRevision`, and the one before it as
 *   `previousRolledoutRevision`), its traffic, and, once it is Ready, its `url` and `address`:
 *   `http://<isvc>-predictor.<namespace>.svc.cluster.local` for both (knativeServing.ts; the
 *   predictor's Service name, `<isvc>-<name>-predictor` for a named predictor);
 * - `url`: the predictor's URL with `urlScheme` (reconcilers/ingress/ingress_reconciler.go
 *   `getHostBasedServiceUrl`: with `disableIstioVirtualHost` the `-predictor` is not cut off, since
 *   no VirtualService `<isvc>` answers the shorter name), and `address.url`
 *   `http://<isvc>-predictor.<namespace>.svc.cluster.local` (`Reconcile`, `getHostPrefix`);
 * - conditions: `PredictorReady`, `PredictorRouteReady` and `PredictorConfigurationReady` from the
 *   Knative Service's `Ready`, `RoutesReady` and `ConfigurationsReady`; `RoutesReady` and
 *   `LatestDeploymentReady` across components (`PropagateCrossComponentStatus`, controller.go);
 *   `IngressReady` once the predictor is ready and has a URL (ingress_reconciler.go `createIngress`,
 *   `Reconcile`); `Ready` from `PredictorReady` and `IngressReady`.
 *
 * Until Knative has written the Knative Service's status these are Unknown and there is no URL.
 * As in Standard mode, KServe's `Stopped` condition is left out, and `observedGeneration` is the
 * InferenceService's generation, where KServe copies the Knative Service's (`PropagateStatus`).
 */
export function knativeInferenceServiceStatus(
  isvc: KubeObject,
  ksvc: KubeObject | undefined,
): Json {
  const { namespace, generation } = isvc.metadata;
  const kstatus = ksvc && isPlainObject(ksvc.status) ? ksvc.status : {};
  const stored = isPlainObject(isvc.status) ? isvc.status : {};
  const storedComponents = isPlainObject(stored.components)
    ? stored.components
    : {};
  const previous = isPlainObject(storedComponents.predictor)
    ? storedComponents.predictor
    : {};

  const latestReady = kstatus.latestReadyRevisionName;
  const traffic = Array.isArray(kstatus.traffic)
    ? kstatus.traffic.filter(isPlainObject)
    : [];
  let latestRolledout = previous.latestRolledoutRevision;
  let previousRolledout = previous.previousRolledoutRevision;
  const rolledOut = traffic.some(
    t =>
      t.revisionName === latestReady &&
      t.latestRevision === true &&
      t.percent === 100,
  );
  if (rolledOut && latestRolledout !== latestReady) {
    previousRolledout = latestRolledout;
    latestRolledout = latestReady;
  }

  const ready = conditionIn(kstatus, 'Ready');
  const predictorReady = ready?.status === 'True';
  const predictor: Json = {
    ...(typeof kstatus.latestCreatedRevisionName === 'string'
      ? { latestCreatedRevision: kstatus.latestCreatedRevisionName }
      : {}),
    ...(typeof latestReady === 'string'
      ? { latestReadyRevision: latestReady }
      : {}),
    ...(typeof previousRolledout === 'string'
      ? { previousRolledoutRevision: previousRolledout }
      : {}),
    ...(typeof latestRolledout === 'string'
      ? { latestRolledoutRevision: latestRolledout }
      : {}),
    ...(traffic.length > 0 ? { traffic } : {}),
    ...(predictorReady && typeof kstatus.url === 'string'
      ? { url: kstatus.url }
      : {}),
    ...(predictorReady && isPlainObject(kstatus.address)
      ? { address: kstatus.address }
      : {}),
  };

  const propagated = (type: string, from: KnativeCondition | undefined) =>
    statusCondition(
      type,
      from?.status ?? 'Unknown',
      from?.reason,
      from?.message,
    );
  const component = {
    PredictorReady: propagated('PredictorReady', ready),
    PredictorRouteReady: propagated(
      'PredictorRouteReady',
      conditionIn(kstatus, 'RoutesReady'),
    ),
    PredictorConfigurationReady: propagated(
      'PredictorConfigurationReady',
      conditionIn(kstatus, 'ConfigurationsReady'),
    ),
  };
  const across = (type: string, of: KnativeCondition) =>
    of.status === 'True'
      ? statusCondition(type, 'True')
      : statusCondition(type, of.status, `${of.type} not ready`);
  const hasUrl = typeof predictor.url === 'string';
  const ingress =
    predictorReady && hasUrl
      ? statusCondition('IngressReady', 'True')
      : statusCondition(
          'IngressReady',
          component.PredictorReady.status === 'False' ? 'False' : 'Unknown',
          'Predictor ingress not created',
        );
  const living = [component.PredictorReady, ingress];
  const failing =
    living.find(c => c.status === 'False') ??
    living.find(c => c.status === 'Unknown');
  const overall = failing
    ? statusCondition('Ready', failing.status, failing.reason, failing.message)
    : statusCondition('Ready', 'True');

  const url =
    typeof predictor.url === 'string'
      ? predictor.url.replace(/^[a-z]+:/, 'http:')
      : undefined;
  return {
    observedGeneration: generation,
    deploymentMode: 'Knative',
    ...(url
      ? {
          url,
          address: {
            url: `http://${predictorName(isvc)}.${namespace}.svc.cluster.local`,
          },
        }
      : {}),
    components: { predictor },
    conditions: sortedByType([
      ...Object.values(component),
      across('RoutesReady', component.PredictorRouteReady),
      across('LatestDeploymentReady', component.PredictorConfigurationReady),
      ingress,
      overall,
    ]),
    ...(predictorReady ? { modelStatus: LOADED } : {}),
  };
}
