import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject } from '../../store/types';
import { statusChanged } from '../conditions';
import { ControllerClient } from '../controllerClient';
import { getByKey, specOf } from '../controllerKit';
import {
  findRuntimeProblem,
  inferenceServiceStatus,
  RuntimeInventory,
} from '../inferenceServiceStatus';
import { keyString, ObjectKey } from '../reconcileQueue';
import {
  AT_ONCE,
  keyOf,
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
  ISVC_LABEL,
  predictorName,
} from './predictorComponent';
import { standardPredictorObjects } from './standardPredictor';

const ISVC_API_VERSION = 'serving.kserve.io/v1beta1';
const ISVCS = 'inferenceservices.serving.kserve.io';
/** KServe's finalizer (pkg/controller/v1beta1/inferenceservice/controller.go `Reconcile`). */
export const ISVC_FINALIZER = 'inferenceservice.finalizers';
/** Kinds KServe's controller owns and watches (`SetupWithManager`: Owns Deployment, Service, Knative Service). */
const KSVCS = 'services.serving.knative.dev';
const DEPLOYMENTS = 'deployments.apps';
const OWNED = new Set([DEPLOYMENTS, 'services', KSVCS]);
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
  /** The status last written per InferenceService, to recognise the watch event of the write. */
  const written = new Map<string, unknown>();
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
      // `reconcileKnativeDeployment`); in Standard mode the Deployment's (`reconcileRawDeployment`);
      // in both the model status comes from the predictor's pods (`Reconcile`, `ListPodsByLabel`).
      const component = predictorName(fresh);
      const ksvc =
        mode === 'Knative'
          ? client.get(
              KNATIVE_SERVING_API_VERSION,
              'Service',
              key.namespace,
              component,
            )
          : undefined;
      const deployment =
        mode === 'Standard'
          ? client.get('apps/v1', 'Deployment', key.namespace, component)
          : undefined;
      const pods = client
        .list('v1', 'Pod', key.namespace)
        .filter(
          p =>
            p.metadata.labels?.[ISVC_LABEL] === fresh.metadata.name &&
            !p.metadata.deletionTimestamp,
        );
      const status = inferenceServiceStatus(fresh, inventory, mode, {
        ksvc,
        deployment,
        pods,
      });
      if (statusChanged(fresh.status, status)) {
        written.set(keyString(key), status);
        client.updateStatus({ ...fresh, status });
      }
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
      // KServe's For() watch has no predicate either: its own status writes bring the
      // InferenceService back, which is how a status that feeds the next reconcile takes effect
      // (the Knative Service's traffic follows `latestRolledoutRevision`, knativePredictor.ts).
      // Upstream any status write does; the sandbox only reacts to its own, so that a status
      // another client writes stays until something else brings the InferenceService back.
      if (
        event.resource === ISVCS &&
        event.type === 'MODIFIED' &&
        statusChanged(event.previous?.status, event.object.status)
      ) {
        const key = keyOf(event);
        const own = written.get(keyString(key));
        if (own !== undefined && !statusChanged(own, event.object.status)) {
          enqueue(key, AT_ONCE);
        }
      }
      if (event.resource === ISVCS && event.type === 'DELETED') {
        written.delete(keyString(keyOf(event)));
      }
      // KServe's Owns() watches on Knative Services and Deployments have no generation filter:
      // the status Knative or the Deployment controller writes (Ready, URL, revisions, available
      // replicas) brings the InferenceService back (controller.go `SetupWithManager`).
      if (
        (event.resource === KSVCS || event.resource === DEPLOYMENTS) &&
        event.type === 'MODIFIED' &&
        statusChanged(event.previous?.status, event.object.status)
      ) {
        const owner = ownerKeyOf(event, 'InferenceService', ISVCS);
        if (owner) enqueue(owner, AT_ONCE);
      }
      // KServe reads the predictor's pods on every reconcile (the model status); a real cluster
      // reconciles often enough to see them change, the sandbox reconciles when they do.
      const podOf = event.object.metadata.labels?.[ISVC_LABEL];
      if (event.resource === 'pods' && podOf) {
        enqueue(
          {
            resource: ISVCS,
            namespace: event.object.metadata.namespace,
            name: podOf,
          },
          AT_ONCE,
        );
      }
    },
  );
}
