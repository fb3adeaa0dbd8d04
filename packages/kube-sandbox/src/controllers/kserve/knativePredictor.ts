import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject } from '../../store/types';
import { ControllerClient } from '../controllerClient';
import { controllerReference } from '../ownerReferences';
import {
  componentMeta,
  predictorOf,
  predictorPodSpec,
} from './predictorComponent';

/**
 * The objects KServe creates for an InferenceService in Knative mode, re-expressed from
 * kserve/kserve v0.20.0: the Knative Service `<isvc>-predictor` (reconcilers/knative/ksvc_reconciler.go
 * `createKnativeService`, autoscaling annotations from pkg/controller/v1alpha1/utils/utils.go
 * `SetAutoScalingAnnotations`), owned by the InferenceService, and nothing else.
 *
 * KServe runs its Istio ingress reconciler for every Knative-mode InferenceService, whatever
 * `disableIngressCreation` says (reconcilers/factory.go `CreateIngressReconciler`; that setting is
 * only read by the Standard-mode reconcilers). With `disableIstioVirtualHost: true`, as the platform
 * sets it (configs/kserve/kserve.values.yaml), that reconciler creates neither the VirtualService
 * `<isvc>` (reconcilers/ingress/ingress_reconciler.go `reconcileVirtualService`) nor the ExternalName
 * Service `<isvc>` to the Knative local gateway (`reconcileExternalService`); the status it writes
 * then names the predictor (inferenceServiceStatus.ts `knativeInferenceServiceStatus`).
 *
 * What Knative makes of the Knative Service (the Route's `<isvc>-predictor` Service among it) is
 * knativeServing.ts.
 */

export const KNATIVE_SERVING_API_VERSION = 'serving.knative.dev/v1';
/** Knative's autoscaling annotation keys (knative.dev/serving pkg/apis/autoscaling). */
const AUTOSCALING = {
  class: 'autoscaling.knative.dev/class',
  target: 'autoscaling.knative.dev/target',
  metric: 'autoscaling.knative.dev/metric',
  minScale: 'autoscaling.knative.dev/min-scale',
  maxScale: 'autoscaling.knative.dev/max-scale',
};
/** ksvc-level annotations KServe moves off the revision template (`managedKsvcAnnotations`). */
const KSVC_ANNOTATIONS = ['serving.knative.dev/rollout-duration'];
/** `constants.RevisionTemplateLabelDisallowedList`. */
const TEMPLATE_LABELS_DISALLOWED = ['networking.knative.dev/visibility'];
/** `constants.EnableRoutingTagAnnotationKey`: with "true", the latest revision gets the tag `latest`. */
export const ENABLE_TAG_ROUTING = 'serving.kserve.io/enable-tag-routing';

/** A Knative `TrafficTarget` as KServe writes and reads it. */
export interface TrafficTarget {
  tag?: string;
  revisionName?: string;
  configurationName?: string;
  latestRevision?: boolean;
  percent?: number;
  url?: string;
}

/**
 * The Knative Service's `spec.traffic`, re-expressed from kserve/kserve v0.20.0
 * reconcilers/knative/ksvc_reconciler.go `createKnativeService`. Its inputs are the predictor's
 * `canaryTrafficPercent` and the `latestRolledoutRevision` of the predictor's status as the previous
 * reconcile left it (`isvc.Status.Components[predictor]`, read before this reconcile propagates the
 * Knative Service's status, components/predictor.go `reconcileKnativeDeployment`):
 *
 * - with `canaryTrafficPercent` P set and a rolled-out revision R: `{latestRevision: true,
 *   percent: P}` and, when P < 100, `{revisionName: R, latestRevision: false, percent: 100 - P,
 *   tag: "prev"}` (P = 0 pins all traffic to R: the rollback);
 * - otherwise (no P, or nothing rolled out yet, e.g. the first revision): `{latestRevision: true,
 *   percent: 100}`, the blue-green rollout.
 *
 * The latest-revision target gets the tag `latest` when the component's annotations say
 * `serving.kserve.io/enable-tag-routing: "true"`.
 */
export function knativeTraffic(
  isvc: KubeObject,
  annotations: Record<string, string>,
): TrafficTarget[] {
  const canary = predictorOf(isvc).canaryTrafficPercent;
  const rolledOut = latestRolledoutRevisionOf(isvc);
  const tag =
    annotations[ENABLE_TAG_ROUTING] === 'true' ? { tag: 'latest' } : {};
  if (typeof canary === 'number' && rolledOut) {
    const targets: TrafficTarget[] = [
      { ...tag, latestRevision: true, percent: canary },
    ];
    if (canary < 100) {
      targets.push({
        tag: 'prev',
        revisionName: rolledOut,
        latestRevision: false,
        percent: 100 - canary,
      });
    }
    return targets;
  }
  return [{ ...tag, latestRevision: true, percent: 100 }];
}

/** `status.components.predictor.latestRolledoutRevision` as stored, if any. */
function latestRolledoutRevisionOf(isvc: KubeObject): string | undefined {
  const status = isPlainObject(isvc.status) ? isvc.status : {};
  const components = isPlainObject(status.components) ? status.components : {};
  const predictor = isPlainObject(components.predictor)
    ? components.predictor
    : {};
  const revision = predictor.latestRolledoutRevision;
  return typeof revision === 'string' && revision ? revision : undefined;
}

/**
 * The revision template's annotations: the component's, with KServe's autoscaling annotations
 * (`SetAutoScalingAnnotations`) laid over them; an autoscaling class the user set is kept.
 */
function templateAnnotationsOf(
  isvc: KubeObject,
  annotations: Record<string, string>,
) {
  const predictor = predictorOf(isvc);
  const result: Record<string, string> = {
    ...annotations,
    [AUTOSCALING.class]:
      annotations[AUTOSCALING.class] ?? 'kpa.autoscaling.knative.dev',
    [AUTOSCALING.minScale]: String(
      typeof predictor.minReplicas === 'number' ? predictor.minReplicas : 1,
    ),
  };
  if (typeof predictor.scaleTarget === 'number') {
    result[AUTOSCALING.target] = String(predictor.scaleTarget);
  }
  if (typeof predictor.scaleMetric === 'string') {
    result[AUTOSCALING.metric] = predictor.scaleMetric;
  }
  if (
    typeof predictor.maxReplicas === 'number' &&
    predictor.maxReplicas !== 0
  ) {
    result[AUTOSCALING.maxScale] = String(predictor.maxReplicas);
  }
  return result;
}

export function knativePredictorObjects(
  client: ControllerClient,
  isvc: KubeObject,
): KubeObject[] {
  const meta = componentMeta(isvc);
  const owner = [controllerReference(isvc)];
  const templateAnnotations = templateAnnotationsOf(
    isvc,
    meta.annotations ?? {},
  );
  const ksvcAnnotations: Record<string, string> = {};
  for (const key of KSVC_ANNOTATIONS) {
    if (templateAnnotations[key] === undefined) continue;
    ksvcAnnotations[key] = templateAnnotations[key];
    delete templateAnnotations[key];
  }
  const templateLabels = Object.fromEntries(
    Object.entries(meta.labels ?? {}).filter(
      ([key]) => !TEMPLATE_LABELS_DISALLOWED.includes(key),
    ),
  );
  const predictor = predictorOf(isvc);
  const ksvc: KubeObject = {
    apiVersion: KNATIVE_SERVING_API_VERSION,
    kind: 'Service',
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      labels: meta.labels,
      annotations: ksvcAnnotations,
      ownerReferences: owner,
    },
    spec: {
      template: {
        metadata: { labels: templateLabels, annotations: templateAnnotations },
        spec: {
          ...predictorPodSpec(client, isvc),
          ...(typeof predictor.timeout === 'number'
            ? {
                timeoutSeconds: predictor.timeout,
                responseStartTimeoutSeconds: predictor.timeout,
              }
            : {}),
          ...(typeof predictor.containerConcurrency === 'number'
            ? { containerConcurrency: predictor.containerConcurrency }
            : {}),
        },
      },
      traffic: knativeTraffic(isvc, meta.annotations ?? {}),
    },
  };
  return [ksvc];
}
