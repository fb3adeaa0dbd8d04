/** The parts of ObjectMeta the sandbox reads and writes. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: unknown[];
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
}

/** One `metadata.managedFields[]` entry. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldsV1;
  subresource?: string;
}

/** FieldsV1 trie: keys are `f:<name>`, `k:<json>`, `v:<json>` or `.`. */
export interface FieldsV1 {
  [key: string]: FieldsV1;
}

/** A Kubernetes object as the sandbox stores and serves it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A change recorded by the store; `previous` is the object before the change. */
export interface StoreEvent {
  type: WatchEventType;
  resourceVersion: number;
  /** `<plural>.<group>` of the changed object. */
  resource: string;
  object: KubeObject;
  previous?: KubeObject;
}
