import { kubeTimestamp } from '../apply/trackedFields';
import { isPlainObject } from '../schema/structuralValidator';
import { KubeObject } from '../store/types';
import {
  KNOWN_MODEL_FORMATS,
  KNOWN_RUNTIMES,
  V2_ONLY_MODEL_FORMATS,
} from './knownRuntimes';
import { CONTAINER_NAME, predictorName } from './kserve/predictorComponent';
import { STORAGE_INITIALIZER } from './kserve/storageInitializer';
import {
  conditionOf,
  ConditionStatus,
  KnativeCondition,
  sortedByType,
} from './knative/knativeConditions';
import { isPodReady } from './workloads/kubelet';

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

/** What the InferenceService's status is computed from, besides the InferenceService itself. */
export interface PredictorObservation {
  /** Knative mode: the Knative Service `<isvc>-predictor`. */
  ksvc?: KubeObject;
  /** Standard mode: the Deployment `<isvc>-predictor`. */
  deployment?: KubeObject;
  /** The predictor's Pods (all of them; the status picks what KServe lists). */
  pods: KubeObject[];
}

/**
 * KServe's condition set for the InferenceService (`conditionSet`: `PredictorReady` and
 * `IngressReady` make `Ready`); its other conditions carry `severity: Info`, as knative.dev/pkg
 * writes conditions outside a set's dependents.
 */
const DEPENDENTS = ['PredictorReady', 'IngressReady', 'Ready'];

function statusCondition(
  type: string,
  status: ConditionStatus,
  reason?: string,
  message?: string,
): KnativeCondition {
  return {
    type,
    status,
    ...(DEPENDENTS.includes(type) ? {} : { severity: 'Info' }),
    lastTransitionTime: kubeTimestamp(),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

/** `Ready` of the set: True when `PredictorReady` and `IngressReady` are, else the first False, else the first Unknown. */
function readyOf(conditions: KnativeCondition[]): KnativeCondition {
  const unhappy =
    conditions.find(c => c.status === 'False') ??
    conditions.find(c => c.status !== 'True');
  return unhappy
    ? statusCondition('Ready', unhappy.status, unhappy.reason, unhappy.message)
    : statusCondition('Ready', 'True');
}

const storedStatusOf = (isvc: KubeObject): Json =>
  isPlainObject(isvc.status) ? isvc.status : {};

function storedPredictorOf(isvc: KubeObject): Json {
  const stored = storedStatusOf(isvc);
  const components = isPlainObject(stored.components) ? stored.components : {};
  return isPlainObject(components.predictor) ? { ...components.predictor } : {};
}

const listOf = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter(isPlainObject) : [];
const objectIn = (value: unknown): Json => (isPlainObject(value) ? value : {});

/**
 * The model status, re-expressed from kserve/kserve v0.20.0
 * pkg/apis/serving/v1beta1/inference_service_status.go `PropagateModelStatus`,
 * `UpdateModelRevisionStates` and `countReadyPods`, starting from the stored model status (KServe
 * keeps `lastFailureInfo` until another failure replaces it). `pods` are those KServe lists: the
 * latest created revision's (`serving.knative.dev/revision`) in Knative mode, the predictor's
 * (`app: isvc.<isvc>-predictor`) in Standard mode; the first one decides:
 *
 * - no pods: `Pending`, or in Knative mode `FailedToLoad` when a condition of the Knative Service is
 *   False;
 * - the storage-initializer running: `Loading`; exited with `Error`, or waiting in
 *   `CrashLoopBackOff`: `FailedToLoad` with `lastFailureInfo` (reason `ModelLoadFailed`, the
 *   container's termination message and exit code);
 * - the InferenceService Ready (in Knative mode with the latest created revision also the latest
 *   ready one): `Loaded`;
 * - else from `kserve-container`: `FailedToLoad` as above, or `Pending`.
 *
 * `copies.totalCopies` counts the ready pods. KServe reads its own `Ready` as the previous
 * reconcile left it; the sandbox uses the one it is writing (the state KServe settles in).
 */
export function propagateModelStatus(
  stored: unknown,
  pods: KubeObject[],
  rawDeployment: boolean,
  ksvcStatus: Json,
  isReady: boolean,
  predictor: Json,
): Json {
  const model: Json = isPlainObject(stored) ? structuredClone(stored) : {};
  const copies = objectIn(model.copies);
  const ready = pods.filter(
    p => objectIn(p.status).phase === 'Running' && isPodReady(p),
  ).length;
  model.copies = {
    failedCopies:
      typeof copies.failedCopies === 'number' ? copies.failedCopies : 0,
    ...(ready > 0 ? { totalCopies: ready } : {}),
  };
  const update = (state: string, failure?: Json) => {
    const states = isPlainObject(model.states)
      ? { ...model.states, targetModelState: state }
      : { activeModelState: '', targetModelState: state };
    if (state === 'Pending' || state === 'Loading') {
      model.transitionStatus = 'InProgress';
    } else if (state === 'Loaded') {
      model.transitionStatus = 'UpToDate';
      states.activeModelState = 'Loaded';
    } else if (state === 'FailedToLoad') {
      model.transitionStatus = 'BlockedByFailedLoad';
    }
    model.states = states;
    if (failure) model.lastFailureInfo = failure;
    return model;
  };
  const failureOf = (terminated: Json): Json => ({
    reason: 'ModelLoadFailed',
    ...(terminated.message ? { message: terminated.message } : {}),
    ...(terminated.exitCode ? { exitCode: terminated.exitCode } : {}),
  });
  if (pods.length === 0) {
    if (
      !rawDeployment &&
      listOf(ksvcStatus.conditions).some(c => c.status === 'False')
    ) {
      return update('FailedToLoad');
    }
    return update('Pending');
  }
  const first = objectIn(pods[0].status);
  for (const container of listOf(first.initContainerStatuses)) {
    if (container.name !== STORAGE_INITIALIZER) continue;
    const state = objectIn(container.state);
    const last = objectIn(objectIn(container.lastState).terminated);
    if (isPlainObject(state.running)) {
      // KServe requeues rather than decide while a restarted initializer runs.
      if (Object.keys(last).length === 0) return update('Loading');
      return model;
    }
    if (objectIn(state.terminated).reason === 'Error') {
      return update('FailedToLoad', failureOf(objectIn(state.terminated)));
    }
    if (objectIn(state.waiting).reason === 'CrashLoopBackOff') {
      return update('FailedToLoad', failureOf(last));
    }
  }
  if (isReady) {
    if (
      rawDeployment ||
      predictor.latestCreatedRevision === predictor.latestReadyRevision
    ) {
      return update('Loaded');
    }
  }
  for (const container of listOf(first.containerStatuses)) {
    if (container.name !== CONTAINER_NAME) continue;
    const state = objectIn(container.state);
    if (objectIn(state.terminated).reason === 'Error') {
      update('FailedToLoad', failureOf(objectIn(state.terminated)));
    } else if (objectIn(state.waiting).reason === 'CrashLoopBackOff') {
      update(
        'FailedToLoad',
        failureOf(objectIn(objectIn(container.lastState).terminated)),
      );
    } else {
      update('Pending');
    }
  }
  return model;
}

/**
 * The status KServe writes for an InferenceService: not ready with the runtime problem when it
 * would find no runtime; else, in Knative mode, {@link knativeInferenceServiceStatus}, and in
 * Standard mode {@link standardInferenceServiceStatus}.
 */
export function inferenceServiceStatus(
  isvc: KubeObject,
  inventory: RuntimeInventory,
  deploymentMode: string,
  observed: PredictorObservation = { pods: [] },
): Json {
  const { generation } = isvc.metadata;
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
    return knativeInferenceServiceStatus(isvc, observed.ksvc, observed.pods);
  }
  return standardInferenceServiceStatus(
    isvc,
    observed.deployment,
    observed.pods,
  );
}

/**
 * `PropagateRawStatus` (inference_service_status.go, one Deployment): `PredictorReady` from the
 * predictor's Deployment: False with no reason until it says anything; True (reason and message of
 * `Available`) when `Available` is True; from `Progressing`: False with its reason and message
 * when False with a message (`ProgressDeadlineExceeded`), True when `NewReplicaSetAvailable`, else
 * Unknown while `Available` is not True; `Available` False wins (`MinimumReplicasUnavailable`,
 * "Deployment does not have minimum availability."). The component's URL is recorded only while
 * ready (and kept from before otherwise).
 */
function rawPredictorReady(
  deployment: KubeObject | undefined,
): KnativeCondition {
  const conditions = listOf(
    deployment && isPlainObject(deployment.status)
      ? deployment.status.conditions
      : undefined,
  );
  const find = (type: string) => conditions.find(c => c.type === type);
  const text = (value: unknown) =>
    typeof value === 'string' && value ? value : undefined;
  const available = find('Available');
  const progressing = find('Progressing');
  let ready = statusCondition('PredictorReady', 'False');
  if (available?.status === 'True') {
    ready = statusCondition(
      'PredictorReady',
      'True',
      text(available.reason),
      text(available.message),
    );
  }
  if (progressing?.status === 'False') {
    if (text(progressing.message)) {
      ready = statusCondition(
        'PredictorReady',
        'False',
        text(progressing.reason),
        text(progressing.message),
      );
    }
  } else if (progressing?.status === 'True') {
    if (progressing.reason === 'NewReplicaSetAvailable') {
      ready = statusCondition(
        'PredictorReady',
        'True',
        text(progressing.reason),
        text(progressing.message),
      );
    } else if (available?.status !== 'True') {
      ready = statusCondition(
        'PredictorReady',
        'Unknown',
        text(progressing.reason),
        text(progressing.message),
      );
    }
  }
  if (available?.status === 'False') {
    ready = statusCondition(
      'PredictorReady',
      'False',
      text(available.reason),
      text(available.message),
    );
  }
  return ready;
}

/**
 * The status KServe writes for a Standard-mode InferenceService (kserve/kserve v0.20.0
 * components/predictor.go `reconcileRawDeployment`, inference_service_status.go
 * `PropagateRawStatus`, reconcilers/ingress/kube_ingress_reconciler.go with the platform's
 * `disableIngressCreation: true`): `PredictorReady` from the Deployment ({@link rawPredictorReady}),
 * `IngressReady` True with `url` `http://<name>-<namespace>.example.com` (KServe's default domain
 * template `{{.Name}}-{{.Namespace}}.{{.IngressDomain}}` with domain `example.com`) and the
 * predictor Service's cluster-local `address`, whether or not the predictor is ready; `Ready` from
 * both; `components.predictor` `url` and `address` once ready (kept afterwards); `modelStatus` from
 * the predictor's pods ({@link propagateModelStatus}).
 */
export function standardInferenceServiceStatus(
  isvc: KubeObject,
  deployment: KubeObject | undefined,
  pods: KubeObject[],
): Json {
  const { name, namespace, generation } = isvc.metadata;
  const predictorAddress = `http://${name}-predictor.${namespace}.svc.cluster.local`;
  const predictor = storedPredictorOf(isvc);
  const predictorReady = rawPredictorReady(deployment);
  if (predictorReady.status === 'True') {
    predictor.url = `http://${name}-predictor-${namespace}.example.com`;
    predictor.address = { url: predictorAddress };
  }
  const ingress = statusCondition('IngressReady', 'True');
  const ready = readyOf([predictorReady, ingress]);
  const stored = storedStatusOf(isvc);
  return {
    observedGeneration: generation,
    deploymentMode: 'Standard',
    url: `http://${name}-${namespace}.example.com`,
    address: { url: predictorAddress },
    components: { predictor },
    conditions: sortedByType([ingress, predictorReady, ready]),
    modelStatus: propagateModelStatus(
      stored.modelStatus,
      pods.filter(
        p => p.metadata.labels?.app === `isvc.${predictorName(isvc)}`,
      ),
      true,
      {},
      ready.status === 'True',
      predictor,
    ),
  };
}

/**
 * The status KServe writes for a Knative-mode InferenceService from its Knative Service's status,
 * re-expressed from kserve/kserve v0.20.0 with the platform's ingress settings
 * (configs/kserve/kserve.values.yaml: `disableIstioVirtualHost: true`, `urlScheme` left at the
 * chart's `http`, no `pathTemplate`):
 *
 * - `components.predictor` (pkg/apis/serving/v1beta1/inference_service_status.go `PropagateStatus`,
 *   starting from the stored one): the Knative Service's latest created and ready revisions and its
 *   `traffic`; `latestRolledoutRevision` becomes the latest ready revision once a latest-revision
 *   target gives it 100% (the one before moves to `previousRolledoutRevision`); when the latest
 *   ready revision, already rolled out and also the latest created one, gets less than 100% through
 *   its latest-revision target while all its traffic adds up to 100% (a rollback with
 *   `canaryTrafficPercent: 0` just after a promotion, which pins `prev` to that same revision),
 *   `latestRolledoutRevision` goes back to `previousRolledoutRevision`, so that the next reconcile
 *   pins `prev` to the revision before; `url` and `address`
 *   (`http://<isvc>-predictor.<namespace>.svc.cluster.local`, knativeServing.ts; the predictor's
 *   Service name, `<isvc>-<name>-predictor` for a named predictor) are taken while the Knative
 *   Service is Ready and kept when it is not;
 * - `url`: the predictor's URL with `urlScheme` (reconcilers/ingress/ingress_reconciler.go
 *   `getHostBasedServiceUrl`: with `disableIstioVirtualHost` the `-predictor` is not cut off, since
 *   no VirtualService `<isvc>` answers the shorter name), and `address.url`
 *   `http://<isvc>-predictor.<namespace>.svc.cluster.local` (`Reconcile`, `getHostPrefix`);
 * - conditions: `PredictorReady`, `PredictorRouteReady` and `PredictorConfigurationReady` from the
 *   Knative Service's `Ready`, `RoutesReady` and `ConfigurationsReady`, with their reasons and
 *   messages (a condition the Knative Service does not have yet leaves the stored one, or Unknown);
 *   `RoutesReady` and `LatestDeploymentReady` across components (`PropagateCrossComponentStatus`,
 *   controller.go: `<component condition> not ready`); `IngressReady` False or Unknown
 *   (`Predictor ingress not created`) while the predictor is not ready (ingress_reconciler.go
 *   `createIngress`), then True whenever the predictor has a URL (`Reconcile`), so it stays True
 *   while a new revision fails and the previous one keeps serving; `Ready` from `PredictorReady`
 *   and `IngressReady`;
 * - `modelStatus` from the latest created revision's pods ({@link propagateModelStatus}).
 *
 * Until Knative has written the Knative Service's status these are Unknown and there is no URL.
 * As in Standard mode, KServe's `Stopped` condition is left out, and `observedGeneration` is the
 * InferenceService's generation, where KServe copies the Knative Service's (`PropagateStatus`).
 */
export function knativeInferenceServiceStatus(
  isvc: KubeObject,
  ksvc: KubeObject | undefined,
  pods: KubeObject[] = [],
): Json {
  const { namespace, generation } = isvc.metadata;
  const kstatus: Json = ksvc && isPlainObject(ksvc.status) ? ksvc.status : {};
  const stored = storedStatusOf(isvc);
  const predictor = storedPredictorOf(isvc);
  const text = (value: unknown) =>
    typeof value === 'string' && value ? value : undefined;

  const latestReady = text(kstatus.latestReadyRevisionName);
  const latestCreated = text(kstatus.latestCreatedRevisionName);
  const traffic = listOf(kstatus.traffic);
  // PropagateStatus
  const assign = (key: string, value: unknown) => {
    if (typeof value === 'string' && value) predictor[key] = value;
    else delete predictor[key];
  };
  assign('latestCreatedRevision', latestCreated);
  const revisionTraffic = new Map<string, number>();
  for (const t of traffic) {
    if (typeof t.percent === 'number') {
      const revision = String(t.revisionName ?? '');
      revisionTraffic.set(
        revision,
        (revisionTraffic.get(revision) ?? 0) + t.percent,
      );
    }
  }
  for (const t of traffic) {
    if (t.revisionName !== (latestReady ?? '') || t.latestRevision !== true) {
      continue;
    }
    if ((predictor.latestRolledoutRevision ?? '') !== (latestReady ?? '')) {
      if (t.percent === 100) {
        assign('previousRolledoutRevision', predictor.latestRolledoutRevision);
        assign('latestRolledoutRevision', latestReady);
      }
    } else if (
      latestReady === latestCreated &&
      typeof t.percent === 'number' &&
      t.percent < 100 &&
      revisionTraffic.get(String(t.revisionName)) === 100 &&
      text(predictor.previousRolledoutRevision)
    ) {
      assign('latestRolledoutRevision', predictor.previousRolledoutRevision);
    }
  }
  assign('latestReadyRevision', latestReady);
  const ready = conditionOf(kstatus, 'Ready');
  if (ready?.status === 'True') {
    if (isPlainObject(kstatus.address)) predictor.address = kstatus.address;
    if (typeof kstatus.url === 'string') predictor.url = kstatus.url;
  }
  if (traffic.length > 0) predictor.traffic = traffic;
  else delete predictor.traffic;

  const propagated = (type: string, from: KnativeCondition | undefined) => {
    const before = conditionOf(stored, type);
    const source = from ?? before;
    return statusCondition(
      type,
      source?.status ?? 'Unknown',
      source?.reason,
      source?.message,
    );
  };
  const component = {
    PredictorReady: propagated('PredictorReady', ready),
    PredictorRouteReady: propagated(
      'PredictorRouteReady',
      conditionOf(kstatus, 'RoutesReady'),
    ),
    PredictorConfigurationReady: propagated(
      'PredictorConfigurationReady',
      conditionOf(kstatus, 'ConfigurationsReady'),
    ),
  };
  const across = (type: string, of: KnativeCondition) =>
    of.status === 'True'
      ? statusCondition(type, 'True')
      : statusCondition(type, of.status, `${of.type} not ready`);
  const predictorUrl = text(predictor.url);
  let ingress: KnativeCondition;
  if (predictorUrl) {
    ingress = statusCondition('IngressReady', 'True');
  } else if (component.PredictorReady.status !== 'True') {
    ingress = statusCondition(
      'IngressReady',
      component.PredictorReady.status === 'False' ? 'False' : 'Unknown',
      'Predictor ingress not created',
    );
  } else {
    ingress =
      conditionOf(stored, 'IngressReady') ??
      statusCondition('IngressReady', 'Unknown');
  }
  const overall = readyOf([component.PredictorReady, ingress]);

  const url = predictorUrl?.replace(/^[a-z]+:/, 'http:');
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
    modelStatus: propagateModelStatus(
      stored.modelStatus,
      latestCreated
        ? pods.filter(
            p =>
              p.metadata.labels?.['serving.knative.dev/revision'] ===
              latestCreated,
          )
        : [],
      false,
      kstatus,
      overall.status === 'True',
      predictor,
    ),
  };
}
