import type { KubeObject } from '@inference-in-a-box/backstage-plugin-inference-node';
import { listItemChild, managedFieldsOf } from '../drift/fieldManagers';
import { setsOnlySameValues } from './planChanges';

type FieldSet = Record<string, unknown>;

const isMap = (v: unknown): v is FieldSet =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Metadata fields an apply owns (the rest is the server's); apiVersion and kind are not fields. */
const APPLIED_METADATA = [
  'labels',
  'annotations',
  'finalizers',
  'ownerReferences',
];

/** The part of an object whose fields server-side apply tracks in managedFields. */
function appliedView(object: KubeObject): FieldSet {
  const { apiVersion: _a, kind: _k, status: _s, metadata, ...rest } = object;
  const meta: FieldSet = {};
  for (const key of APPLIED_METADATA) {
    if (metadata[key] !== undefined) meta[key] = metadata[key];
  }
  return Object.keys(meta).length > 0 ? { ...rest, metadata: meta } : rest;
}

/**
 * Every field `value` sets is in the field set `owned`. A node without children (`{}`) is owned
 * whole: a leaf, an atomic list or map. A null anywhere proves nothing (apply reads it as "remove").
 */
function setsOnlyOwned(value: unknown, owned: FieldSet): boolean {
  if (value === null) return false;
  if (Object.keys(owned).length === 0) return true;
  if (isMap(value)) {
    return Object.entries(value).every(([key, child]) => {
      if (child === undefined) return true;
      const node = owned[`f:${key}`];
      return isMap(node) && setsOnlyOwned(child, node);
    });
  }
  if (Array.isArray(value)) {
    return value.every(item => {
      const node = listItemChild(owned, item);
      return node !== undefined && setsOnlyOwned(item, node);
    });
  }
  return true;
}

/** The item of `list` that the FieldsV1 list key `name` (`k:{...}` or `v:...`) stands for. */
function itemFor(list: unknown[], name: string): unknown {
  try {
    if (name.startsWith('k:')) {
      const keys = JSON.parse(name.slice(2)) as FieldSet;
      return list.find(
        item =>
          isMap(item) && Object.entries(keys).every(([k, v]) => item[k] === v),
      );
    }
    if (name.startsWith('v:')) {
      const wanted = JSON.stringify(JSON.parse(name.slice(2)));
      return list.find(item => JSON.stringify(item) === wanted);
    }
  } catch {
    // Not JSON: a key this reader does not understand proves nothing.
  }
  return undefined;
}

/** Every field in the set `owned` is set in `value` (`.` is the node itself, which exists). */
function ownedAllSet(owned: FieldSet, value: unknown): boolean {
  return Object.entries(owned).every(([name, node]) => {
    if (name === '.') return true;
    if (!isMap(node)) return false;
    let child: unknown;
    if (name.startsWith('f:') && isMap(value)) child = value[name.slice(2)];
    else if (Array.isArray(value)) child = itemFor(value, name);
    if (child === undefined || child === null) return false;
    return ownedAllSet(node, child);
  });
}

/**
 * Whether a server-side apply of `desired` (with force, by `fieldManager`) to `live` would change
 * nothing, decided locally, so that the plan needs no server-side dry run for it. Conservative: any
 * doubt answers false, and the caller asks the server as before. It answers true only when
 * - every field `desired` sets has the same value in `live` (planChanges' `applied` comparison:
 *   fields only `live` has, such as defaults and other managers' fields, are left alone by apply);
 * - `live` has exactly one managedFields entry of `fieldManager`, an Apply at `desired`'s
 *   apiVersion, and it owns exactly the fields `desired` sets: nothing the portal applied before
 *   and no longer sets (which apply would remove), and nothing `desired` sets that the portal does
 *   not own (an atomic list or map another manager took over is replaced whole by apply, and a
 *   field-by-field comparison of its insides proves nothing).
 * Then apply would write the same values, remove nothing and take no field from anyone, which is
 * exactly "unchanged" in a dry run's plan.
 */
export function applyChangesNothing(
  live: KubeObject,
  desired: KubeObject,
  fieldManager: string,
): boolean {
  if (live.apiVersion !== desired.apiVersion || live.kind !== desired.kind)
    return false;
  const own = managedFieldsOf(live).filter(e => e.manager === fieldManager);
  if (own.length !== 1) return false;
  const [entry] = own;
  if (
    entry.operation !== 'Apply' ||
    entry.subresource ||
    entry.apiVersion !== desired.apiVersion ||
    (entry.fieldsType !== undefined && entry.fieldsType !== 'FieldsV1') ||
    !isMap(entry.fieldsV1)
  ) {
    return false;
  }
  if (!setsOnlyOwned(appliedView(desired), entry.fieldsV1)) return false;
  if (!ownedAllSet(entry.fieldsV1, desired)) return false;
  return setsOnlySameValues(live, desired);
}
