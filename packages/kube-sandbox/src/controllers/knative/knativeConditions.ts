import { kubeTimestamp } from '../../apply/trackedFields';
import { isPlainObject } from '../../schema/structuralValidator';
import { Json } from '../controllerKit';

/**
 * Knative's `apis.Condition` and living condition sets, as the simulated Knative and KServe
 * controllers write them (knative.dev/pkg apis/condition_set.go, condition_types.go; knative/serving
 * knative-v1.23.0 requires knative.dev/pkg v0.0.0-20260727151759-521cb33b33dd, read here on a stored
 * copy of knative/pkg whose condition_set.go has the same logic): a condition
 * has `type`, `status`, `lastTransitionTime` and, when set, `reason`, `message` and `severity`
 * (`Info` for conditions outside the set's dependents; `Error`, the default, is left out). The
 * happy condition (`Ready`) is True when every dependent is True, else takes status, reason and
 * message from an unhappy dependent, False before Unknown. Upstream picks the unhappy dependent
 * that changed last; the sandbox takes the first in the order given. Conditions are kept sorted by
 * type, as `SetCondition` stores them.
 */

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface KnativeCondition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  severity?: string;
  lastTransitionTime?: string;
}

export function knativeCondition(
  type: string,
  status: ConditionStatus,
  reason?: string,
  message?: string,
  severity?: 'Info',
): KnativeCondition {
  return {
    type,
    status,
    ...(severity ? { severity } : {}),
    lastTransitionTime: kubeTimestamp(),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

/** The happy condition of a living condition set over `dependents`. */
export function happyCondition(
  type: string,
  dependents: KnativeCondition[],
): KnativeCondition {
  const unhappy =
    dependents.find(c => c.status === 'False') ??
    dependents.find(c => c.status !== 'True');
  return unhappy
    ? knativeCondition(type, unhappy.status, unhappy.reason, unhappy.message)
    : knativeCondition(type, 'True');
}

export function sortedByType<T extends { type: string }>(conditions: T[]): T[] {
  return [...conditions].sort((a, b) => {
    if (a.type === b.type) return 0;
    return a.type < b.type ? -1 : 1;
  });
}

/** A condition of a status, by type. */
export function conditionOf(
  status: unknown,
  type: string,
): KnativeCondition | undefined {
  const conditions =
    isPlainObject(status) && Array.isArray(status.conditions)
      ? status.conditions
      : [];
  return conditions.find(
    (c): c is KnativeCondition => isPlainObject(c) && c.type === type,
  );
}

/** Whether a Knative object is Ready at its generation (`IsReady`: observed generation and Ready True). */
export function isReadyAtGeneration(object: {
  metadata: { generation?: number };
  status?: unknown;
}): boolean {
  const status: Json = isPlainObject(object.status) ? object.status : {};
  return (
    status.observedGeneration === (object.metadata.generation ?? 1) &&
    conditionOf(status, 'Ready')?.status === 'True'
  );
}
