import { isPlainObject } from '../schema/structuralValidator';
import { KubeObject } from '../store/types';
import { updateStatusIfChanged } from './conditions';
import { ControllerClient } from './controllerClient';
import { ObjectKey } from './reconcileQueue';

/** A JSON object field, as the controllers read specs and statuses. */
export type Json = Record<string, unknown>;

/** A field that should hold an object, or `{}` when it holds anything else or nothing. */
export const objectOf = (value: unknown): Json =>
  isPlainObject(value) ? value : {};
export const specOf = (object: KubeObject): Json => objectOf(object.spec);
export const statusOf = (object: KubeObject): Json => objectOf(object.status);

/** The object a queued key names, read at `apiVersion` as `kind`. */
export function getByKey(
  client: ControllerClient,
  apiVersion: string,
  kind: string,
  key: ObjectKey,
): KubeObject | undefined {
  return client.get(apiVersion, kind, key.namespace, key.name);
}

/**
 * A reconcile function that reads the keyed object and hands it to `reconcileObject`, unless it
 * is gone or being deleted: these controllers hold no finalizers, so what follows a deletion is
 * the garbage collector's business.
 */
export function reconcileLiveObject(
  client: ControllerClient,
  apiVersion: string,
  kind: string,
  reconcileObject: (object: KubeObject, key: ObjectKey) => void,
): (key: ObjectKey) => void {
  return key => {
    const object = getByKey(client, apiVersion, kind, key);
    if (object && !object.metadata.deletionTimestamp)
      reconcileObject(object, key);
  };
}

/**
 * A reconcile function for a controller whose only output is status (Envoy Gateway's): computes
 * a live object's status and writes it when it says something new.
 */
export function writeStatusOfLiveObject(
  client: ControllerClient,
  apiVersion: string,
  kind: string,
  statusFor: (object: KubeObject) => Json,
): (key: ObjectKey) => void {
  return reconcileLiveObject(client, apiVersion, kind, object =>
    updateStatusIfChanged(client, object, statusFor(object)),
  );
}
