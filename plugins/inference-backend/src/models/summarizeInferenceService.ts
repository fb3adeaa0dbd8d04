import type {
  ModelCondition,
  ModelStatus,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { InferenceServiceObject, KubeCondition } from './types';

/** Replica counts the InferenceService itself does not carry (they live on the predictor's workload). */
export interface ObservedReplicas {
  ready?: number;
  desired?: number;
}

const CONDITION_STATUSES = new Set(['True', 'False', 'Unknown']);

function toModelCondition(condition: KubeCondition): ModelCondition {
  const status = CONDITION_STATUSES.has(condition.status)
    ? (condition.status as ModelCondition['status'])
    : 'Unknown';
  return {
    type: condition.type,
    status,
    ...(condition.reason ? { reason: condition.reason } : {}),
    ...(condition.message ? { message: condition.message } : {}),
    ...(condition.lastTransitionTime
      ? { lastTransitionTime: condition.lastTransitionTime }
      : {}),
  };
}

/**
 * Why a model is not ready, most specific first: a failing component condition (e.g.
 * PredictorReady) says more than the aggregate Ready, and a model load failure more than both.
 */
function explainNotReady(
  isvc: InferenceServiceObject,
  conditions: ModelCondition[],
): { reason?: string; message?: string } {
  const failure = isvc.status?.modelStatus?.lastFailureInfo;
  if (failure?.reason || failure?.message) {
    return { reason: failure.reason, message: failure.message };
  }
  const failing =
    conditions.find(c => c.type !== 'Ready' && c.status === 'False') ??
    conditions.find(c => c.type === 'Ready' && c.status !== 'True') ??
    conditions.find(c => c.status !== 'True');
  if (failing) {
    return { reason: failing.reason ?? failing.type, message: failing.message };
  }
  return {};
}

/**
 * The serving status of an InferenceService as the portal shows it. A status written for an older
 * generation of the spec is reported as reconciling, not ready: it describes what was, not what is.
 */
export function summarizeInferenceService(
  isvc: InferenceServiceObject,
  observed: ObservedReplicas = {},
): ModelStatus {
  const conditions = (isvc.status?.conditions ?? []).map(toModelCondition);
  const readyCondition = conditions.find(c => c.type === 'Ready');
  const generation = isvc.metadata.generation;
  const observedGeneration = isvc.status?.observedGeneration;
  const stale =
    typeof generation === 'number' &&
    typeof observedGeneration === 'number' &&
    observedGeneration < generation;

  const predictor = isvc.spec.predictor;
  const min = predictor.minReplicas ?? 1;
  const replicas = {
    min,
    // KServe treats an unset (or 0) maximum as "same as the minimum".
    max: predictor.maxReplicas ? Math.max(predictor.maxReplicas, min) : min,
    ...(observed.ready !== undefined ? { ready: observed.ready } : {}),
    ...(observed.desired !== undefined ? { desired: observed.desired } : {}),
  };
  const url = isvc.status?.url ?? isvc.status?.address?.url;
  const base = { replicas, conditions, ...(url ? { url } : {}) };

  if (!isvc.status || conditions.length === 0) {
    return {
      ...base,
      ready: false,
      reason: 'Pending',
      message: 'KServe has not reported a status yet',
    };
  }
  if (stale) {
    return {
      ...base,
      ready: false,
      reason: 'Reconciling',
      message: 'KServe has not yet processed the latest change',
    };
  }
  if (readyCondition?.status === 'True') {
    return { ...base, ready: true };
  }
  return { ...base, ready: false, ...explainNotReady(isvc, conditions) };
}
