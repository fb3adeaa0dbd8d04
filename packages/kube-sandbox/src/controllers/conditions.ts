import { kubeTimestamp } from '../apply/trackedFields';
import { KubeObject } from '../store/types';
import { ControllerClient } from './controllerClient';

/** A `metav1.Condition` (Gateway API / Envoy style). */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export function condition(
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
  observedGeneration?: number,
): Condition {
  return {
    type,
    status,
    reason,
    message,
    lastTransitionTime: kubeTimestamp(),
    ...(observedGeneration !== undefined ? { observedGeneration } : {}),
  };
}

/** A copy of a status without `lastTransitionTime`s, for comparing statuses. */
function withoutTransitionTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTransitionTimes);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'lastTransitionTime')
      .map(([key, item]) => [key, withoutTransitionTimes(item)]),
  );
}

/**
 * Whether a newly computed status says something the stored one does not. Controllers skip
 * writes that would only move transition times (Envoy Gateway's status updater compares
 * statuses the same way before it writes).
 */
export function statusChanged(stored: unknown, computed: unknown): boolean {
  return (
    JSON.stringify(withoutTransitionTimes(stored)) !==
    JSON.stringify(withoutTransitionTimes(computed))
  );
}

/** Writes `status` through the status subresource unless the object already says the same. */
export function updateStatusIfChanged(
  client: ControllerClient,
  object: KubeObject,
  status: Record<string, unknown>,
) {
  if (statusChanged(object.status, status)) {
    client.updateStatus({ ...object, status });
  }
}
