import { isPlainObject } from '../schema/structuralValidator';
import { KubeObject } from '../store/types';

/** A `metadata.ownerReferences[]` entry. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/**
 * The reference a controller puts on what it creates, as controller-runtime's
 * `controllerutil.SetControllerReference` (and knative.dev/pkg `kmeta.NewControllerRef`) make
 * it: the owner's apiVersion, kind, name and uid, `controller: true`,
 * `blockOwnerDeletion: true`.
 */
export function controllerReference(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function ownerReferencesOf(object: KubeObject): OwnerReference[] {
  const refs = object.metadata.ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs.filter(
    (ref): ref is OwnerReference =>
      isPlainObject(ref) &&
      typeof ref.uid === 'string' &&
      typeof ref.kind === 'string' &&
      typeof ref.apiVersion === 'string' &&
      typeof ref.name === 'string',
  );
}

/** The owner reference marked `controller: true`, if any (`metav1.GetControllerOf`). */
export function controllerOf(object: KubeObject): OwnerReference | undefined {
  return ownerReferencesOf(object).find(ref => ref.controller === true);
}

/** Whether `object`'s controller is the object with this uid. */
export function isControlledBy(object: KubeObject, ownerUid: string): boolean {
  return controllerOf(object)?.uid === ownerUid;
}
