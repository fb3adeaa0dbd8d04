import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject } from '../../store/types';
import { statusChanged, updateStatusIfChanged } from '../conditions';
import { ControllerClient } from '../controllerClient';
import { getByKey, specOf } from '../controllerKit';
import {
  findRuntimeProblem,
  inferenceServiceStatus,
  RuntimeInventory,
} from '../inferenceServiceStatus';
import { ObjectKey } from '../reconcileQueue';
import {
  AT_ONCE,
  queuedController,
  ControllerSetup,
  ownerKeyOf,
  SimulatedController,
  watchSpecAndOwned,
} from '../simulatedController';
import { ensureObject } from '../workloads/ensureObject';
import {
  KNATIVE_SERVING_API_VERSION,
  knativePredictorObjects,
} from './knativePredictor';
import {
  DeploymentMode,
  deploymentModeOf,
  predictorName,
} from './predictorComponent';
import { standardPredictorObjects } from './standardPredictor';

const ISVC_API_VERSION = 'serving.kserve.io/v1beta1';
const ISVCS = 'inferenceservices.serving.kserve.io';
/** KServe's finalizer (pkg/controller/v1beta1/inferenceservice/controller.go `Reconcile`). */
export const ISVC_FINALIZER = 'inferenceservice.finalizers';
/** Kinds KServe's controller owns and watches (`SetupWithManager`: Owns Deployment, Service, Knative Service). */
const KSVCS = 'services.serving.knative.dev';
const OWNED = new Set(['deployments.apps', 'services', KSVCS]);
/** The predictor's objects per deployment mode; KServe skips ModelMesh predictors. */
const PREDICTOR_OBJECTS: Partial<
  Record<
    DeploymentMode,
    (client: ControllerClient, isvc: KubeObject) => KubeObject[]
  >
> = {
  Standard: standardPredictorObjects,
  Knative: knativePredictorObjects,
};

function runtimeInventory(
  client: ControllerClient,
  namespace: string | undefined,
): RuntimeInventory {
  const runtimes = [
    ...client.list('serving.kserve.io/v1alpha1', 'ServingRuntime', namespace),
    ...client.list('serving.kserve.io/v1alpha1', 'ClusterServingRuntime'),
  ];
  return {
    runtimeNames: runtimes.map(r => r.metadata.name!),
    modelFormats: runtimes.flatMap(r => {
      const spec = specOf(r);
      const formats = Array.isArray(spec.supportedModelFormats)
        ? spec.supportedModelFormats
        : [];
      return formats.filter(isPlainObject).map(f => String(f.name));
    }),
  };
}

/** Adds or removes KServe's finalizer with a merge patch, as upstream does. Returns whether the isvc is being deleted. */
function handleFinalizer(client: ControllerClient, isvc: KubeObject): boolean {
  const finalizers = isvc.metadata.finalizers ?? [];
  const has = finalizers.includes(ISVC_FINALIZER);
  if (!isvc.metadata.deletionTimestamp) {
    if (!has) {
      client.mergePatch(isvc, {
        metadata: { finalizers: [...finalizers, ISVC_FINALIZER] },
      });
    }
    return false;
  }
  if (has) {
    client.mergePatch(isvc, {
      metadata: { finalizers: finalizers.filter(f => f !== ISVC_FINALIZER) },
    });
  }
  return true;
}

/**
 * KServe's InferenceService controller (kserve/kserve v0.20.0
 * pkg/controller/v1beta1/inferenceservice/controller.go and components/predictor.go): keeps its
 * finalizer on the InferenceService, creates or updates the predictor's objects for the
 * deployment mode (standardPredictor.ts, knativePredictor.ts), all owned by the InferenceService
 * so that deleting it removes them through garbage collection, and writes the status of
 * inferenceServiceStatus.ts (in Knative mode from the Knative Service's status, so a change of
 * that status also brings it back). A predictor whose runtime KServe would not find gets the failing
 * status and no objects. Runs `delayMs` after a create or spec change, or a create, delete or spec
 * change of an object it owns (so a deleted one is recreated); a deletion is handled at once.
 */
export function startInferenceServiceController({
  client,
  delayMs,
  log,
}: ControllerSetup): SimulatedController {
  const getIsvc = (key: ObjectKey) =>
    getByKey(client, ISVC_API_VERSION, 'InferenceService', key);
  const reconcile = (key: ObjectKey) => {
    const isvc = getIsvc(key);
    if (!isvc || handleFinalizer(client, isvc)) return;
    const inventory = runtimeInventory(client, key.namespace);
    const mode = deploymentModeOf(isvc);
    if (!findRuntimeProblem(isvc, inventory)) {
      const build = PREDICTOR_OBJECTS[mode];
      build?.(client, isvc).forEach(object => ensureObject(client, object));
    }
    const fresh = getIsvc(key);
    if (fresh) {
      // In Knative mode the status is the Knative Service's, propagated (components/predictor.go
      // `reconcileKnativeDeployment`).
      const ksvc =
        mode === 'Knative'
          ? client.get(
              KNATIVE_SERVING_API_VERSION,
              'Service',
              key.namespace,
              predictorName(fresh),
            )
          : undefined;
      updateStatusIfChanged(
        client,
        fresh,
        inferenceServiceStatus(fresh, inventory, mode, ksvc),
      );
    }
  };
  const watchOwned = watchSpecAndOwned(ISVCS, 'InferenceService', OWNED);
  return queuedController(
    'inferenceservice',
    delayMs,
    log,
    reconcile,
    (event, enqueue) => {
      watchOwned(event, enqueue);
      // KServe's Owns() watch on Knative Services has no generation filter: the status Knative
      // writes (Ready, URL, revisions) brings the InferenceService back (controller.go
      // `SetupWithManager`).
      if (
        event.resource === KSVCS &&
        event.type === 'MODIFIED' &&
        statusChanged(event.previous?.status, event.object.status)
      ) {
        const owner = ownerKeyOf(event, 'InferenceService', ISVCS);
        if (owner) enqueue(owner, AT_ONCE);
      }
    },
  );
}
