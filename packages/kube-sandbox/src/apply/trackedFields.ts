import { isPlainObject } from '../schema/structuralValidator';
import { ManagedFieldsEntry } from '../store/types';

/**
 * Which part of an object a write may change, and so which fields its
 * managedFields entry tracks:
 * - `main`: a kind with a status subresource, written at the main
 *   resource (status is ignored);
 * - `status`: the status subresource (only `status`);
 * - `all`: a kind without a status subresource.
 */
export type FieldScope = 'main' | 'status' | 'all';

/** Metadata fields users own; the rest is maintained by the server. */
const USER_METADATA_FIELDS = [
  'labels',
  'annotations',
  'finalizers',
  'ownerReferences',
];

type Json = Record<string, unknown>;

/** The part of an object whose fields are tracked for a write in `scope`. */
export function trackedView(object: Json, scope: FieldScope): Json {
  const view: Json = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (scope === 'status' && key !== 'status') continue;
    if (scope === 'main' && key === 'status') continue;
    if (key === 'metadata') {
      if (!isPlainObject(value)) continue;
      const metadata: Json = {};
      for (const field of USER_METADATA_FIELDS) {
        if (value[field] !== undefined) metadata[field] = value[field];
      }
      if (Object.keys(metadata).length > 0) view.metadata = metadata;
      continue;
    }
    view[key] = value;
  }
  return view;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Two entries belong to the same manager identity (manager, operation, subresource). */
export function sameManager(
  entry: ManagedFieldsEntry,
  manager: string,
  operation: ManagedFieldsEntry['operation'],
  subresource: string | undefined,
): boolean {
  return (
    entry.manager === manager &&
    entry.operation === operation &&
    (entry.subresource ?? '') === (subresource ?? '')
  );
}

/** `metadata.managedFields` timestamps are RFC 3339 with second precision. */
export function kubeTimestamp(date: Date = new Date()): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
