import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject } from '../../store/types';
import { ControllerClient } from '../controllerClient';

/**
 * Whether everything `desired` sets has the same value in `actual`; fields `desired` leaves out
 * do not matter (like apimachinery's `equality.Semantic.DeepDerivative`, which KServe's
 * reconcilers use so that what the API server defaults does not count as a difference).
 */
export function isDerivative(desired: unknown, actual: unknown): boolean {
  if (Array.isArray(desired)) {
    return (
      Array.isArray(actual) &&
      desired.length === actual.length &&
      desired.every((item, i) => isDerivative(item, actual[i]))
    );
  }
  if (isPlainObject(desired)) {
    return (
      isPlainObject(actual) &&
      Object.entries(desired).every(([key, value]) =>
        isDerivative(value, actual[key]),
      )
    );
  }
  return desired === actual;
}

/** `desired` laid over `base`: objects merge key by key, anything else (lists too) is replaced. */
function overlay(base: unknown, desired: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(desired)) return desired;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(desired)) {
    merged[key] = overlay(base[key], value);
  }
  return merged;
}

/**
 * Creates `desired`, or updates the existing object when its spec, labels, annotations or owner
 * references differ from what `desired` says (the create-or-update step of KServe's and Knative's
 * reconcilers). Fields the API server filled in (a Service's clusterIP) are kept.
 */
export function ensureObject(
  client: ControllerClient,
  desired: KubeObject,
): KubeObject {
  const { namespace, name } = desired.metadata;
  const existing = client.get(
    desired.apiVersion,
    desired.kind,
    namespace,
    name!,
  );
  if (!existing) return client.create(desired);
  const { labels, annotations, ownerReferences } = desired.metadata;
  const upToDate =
    isDerivative(desired.spec, existing.spec) &&
    isDerivative(labels ?? {}, existing.metadata.labels ?? {}) &&
    isDerivative(annotations ?? {}, existing.metadata.annotations ?? {}) &&
    isDerivative(
      ownerReferences ?? [],
      existing.metadata.ownerReferences ?? [],
    );
  if (upToDate) return existing;
  return client.update({
    ...existing,
    metadata: {
      ...existing.metadata,
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
      ...(ownerReferences ? { ownerReferences } : {}),
    },
    spec: overlay(existing.spec, desired.spec),
  });
}
