import { kubeTimestamp } from '../apply/trackedFields';

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
