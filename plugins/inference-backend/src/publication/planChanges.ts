import type {
  FieldChange,
  PlannedChange,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { KubeObject } from '@inference-in-a-box/backstage-plugin-inference-node';

/** Metadata the server owns; a difference there is not a change anybody asked for. */
const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];
/** kubectl's copy of the whole object; for a Secret it holds the key values in clear text. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export const HIDDEN = '(hidden)';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/** Identity of an object across versions of its API: group, kind, namespace, name. */
function identity(obj: KubeObject): string {
  return [
    groupOf(obj.apiVersion),
    obj.kind,
    obj.metadata.namespace ?? '',
    obj.metadata.name,
  ].join('/');
}

/**
 * The object without server-owned metadata and status: what a plan compares. `apiVersion` is left
 * out too: objects are matched by group, and the version is only the one the object was read at.
 */
function comparable(obj: KubeObject): Json {
  const { status: _status, apiVersion: _apiVersion, metadata, ...rest } = obj;
  const meta: Json = { ...metadata };
  for (const key of SERVER_METADATA) delete meta[key];
  if (isObject(meta.annotations)) {
    const { [LAST_APPLIED]: _lastApplied, ...annotations } = meta.annotations;
    if (Object.keys(annotations).length > 0) meta.annotations = annotations;
    else delete meta.annotations;
  }
  return { ...rest, metadata: meta };
}

/** `spec.rules.0.name`; keys that are not identifiers are quoted: `metadata.labels["app.kubernetes.io/name"]`. */
function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return parent ? `${parent}.${key}` : String(key);
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** Deep equality of JSON values; a key whose value is undefined is the same as no key. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    // Runs for every field of every object a plan compares: no key set built per level.
    for (const key of Object.keys(a)) {
      if (!sameValue(a[key], b[key])) return false;
    }
    for (const key of Object.keys(b)) {
      if (!(key in a) && b[key] !== undefined) return false;
    }
    return true;
  }
  return false;
}

function containerShape(value: unknown): 'map' | 'list' | undefined {
  if (isObject(value)) return 'map';
  if (Array.isArray(value)) return 'list';
  return undefined;
}

function leaf(path: string, before: unknown, after: unknown): FieldChange {
  return {
    path,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
  };
}

/**
 * Leaf-level differences between two values. Maps recurse by key and lists by index; a map or
 * list that appears or disappears is spread into its leaves too, so a created object lists every
 * field it sets. A value that changes type is reported whole at its path.
 */
function diffValues(
  before: unknown,
  after: unknown,
  path: string,
  out: FieldChange[],
  asApplied: boolean,
): void {
  if (sameValue(before, after)) return;
  const shape = containerShape(before) ?? containerShape(after);
  const compatible =
    shape !== undefined &&
    (before === undefined || containerShape(before) === shape) &&
    (after === undefined || containerShape(after) === shape);
  if (!compatible) {
    out.push(leaf(path, before, after));
    return;
  }
  const keys: (string | number)[] =
    shape === 'map'
      ? [
          ...new Set([
            ...Object.keys(before ?? {}),
            ...Object.keys(after ?? {}),
          ]),
        ].sort()
      : [
          ...Array(
            Math.max(
              (before as unknown[] | undefined)?.length ?? 0,
              (after as unknown[] | undefined)?.length ?? 0,
            ),
          ).keys(),
        ];
  if (keys.length === 0) {
    // An empty map or list that appears or disappears has no leaves: report it as it is.
    out.push(leaf(path, before, after));
    return;
  }
  for (const key of keys) {
    const afterValue = (
      after as Record<string | number, unknown> | undefined
    )?.[key];
    // An apply patch leaves alone what it does not mention (defaults, other managers' fields).
    if (
      asApplied &&
      shape === 'map' &&
      after !== undefined &&
      afterValue === undefined
    ) {
      continue;
    }
    diffValues(
      (before as Record<string | number, unknown> | undefined)?.[key],
      afterValue,
      childPath(path, key),
      out,
      asApplied,
    );
  }
}

/**
 * Whether {@link diffValues} with `asApplied` finds no difference, without listing any: it stops at
 * the first. The cases are diffValues' own: equal values; a value that disappears; an apply
 * patch's map (keys it leaves out, or sets to undefined, are skipped); a list (compared index by
 * index, lengths included); a leaf that differs.
 */
function appliesUnchanged(before: unknown, after: unknown): boolean {
  if (sameValue(before, after)) return true;
  if (after === undefined) {
    // Only a map or list without any defined leaf disappears without a change (not JSON).
    let children: unknown[] = [];
    if (isObject(before)) children = Object.values(before);
    else if (Array.isArray(before)) children = before;
    return (
      children.length > 0 && children.every(c => appliesUnchanged(c, undefined))
    );
  }
  if (isObject(after)) {
    if (before !== undefined && !isObject(before)) return false;
    const keys = Object.keys(after);
    // An empty map that appears is a change (one that stays is equal, above).
    if (before === undefined && keys.length === 0) return false;
    return keys.every(
      key =>
        after[key] === undefined || appliesUnchanged(before?.[key], after[key]),
    );
  }
  if (Array.isArray(after)) {
    if (before !== undefined && !Array.isArray(before)) return false;
    const items = before as unknown[] | undefined;
    const length = Math.max(items?.length ?? 0, after.length);
    if (length === 0) return false;
    for (let i = 0; i < length; i++) {
      if (!appliesUnchanged(items?.[i], after[i])) return false;
    }
    return true;
  }
  return false;
}

/**
 * Whether `desired`, applied as an apply patch, sets only values `live` already has: exactly when
 * planChanges with `desired: 'applied'` plans it unchanged, without building the plan.
 */
export function setsOnlySameValues(
  live: KubeObject,
  desired: KubeObject,
): boolean {
  return (
    identity(live) === identity(desired) &&
    appliesUnchanged(comparable(live), comparable(desired))
  );
}

function isSecret(obj: KubeObject): boolean {
  return obj.apiVersion === 'v1' && obj.kind === 'Secret';
}

/** Replaces every value under a Secret's `data` / `stringData` (whole maps included) with a marker. */
function hideSecretValues(changes: FieldChange[]): FieldChange[] {
  const secretPath = /^(data|stringData)($|[.[])/;
  return changes.map(fieldChange => {
    if (!secretPath.test(fieldChange.path)) return fieldChange;
    const hidden: FieldChange = { path: fieldChange.path };
    if (fieldChange.before !== undefined) hidden.before = HIDDEN;
    if (fieldChange.after !== undefined) hidden.after = HIDDEN;
    return hidden;
  });
}

function fieldChanges(
  before: KubeObject | undefined,
  after: KubeObject | undefined,
  asApplied: boolean,
): FieldChange[] {
  const changes: FieldChange[] = [];
  diffValues(
    before && comparable(before),
    after && comparable(after),
    '',
    changes,
    asApplied,
  );
  return isSecret((after ?? before)!) ? hideSecretValues(changes) : changes;
}

function change(
  action: PlannedChange['action'],
  obj: KubeObject,
  changes: FieldChange[],
): PlannedChange {
  return {
    action,
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name,
    fieldChanges: changes,
  };
}

export interface PlanOptions {
  /**
   * What `desired` holds:
   * - `stored` (default): what the server would store, i.e. the results of a server-side dry-run
   *   apply (`dryRun=All`) of the built objects. The diff is exact, including fields the portal
   *   stops setting.
   * - `applied`: the built objects themselves (apply patches). Fields only the cluster copy has
   *   (server defaults, other managers' fields) are not reported, so a re-apply of the same input
   *   plans as unchanged; the price is that a map field the portal stops setting is not shown
   *   (lists are compared whole either way, as server-side apply replaces them).
   */
  desired?: 'stored' | 'applied';
}

/**
 * What applying `desired` does to a cluster holding `current` (the portal's objects of this
 * publication, listed by label). Objects are matched by group, kind, namespace and name.
 * Server-owned metadata, `apiVersion` and `status` are ignored, and the values of a Secret's keys
 * are never returned, only `(hidden)` where they change.
 *
 * Order: desired objects in their (apply) order, then deletions in reverse order of `current`.
 */
export function planChanges(
  current: KubeObject[],
  desired: KubeObject[],
  options: PlanOptions = {},
): PlannedChange[] {
  const asApplied = options.desired === 'applied';
  const currentById = new Map(current.map(obj => [identity(obj), obj]));
  const desiredIds = new Set(desired.map(identity));
  const plan = desired.map(obj => {
    const existing = currentById.get(identity(obj));
    if (!existing) {
      return change('create', obj, fieldChanges(undefined, obj, asApplied));
    }
    // The object the cluster holds, planned as it is (a plan that proved it unchanged).
    if (existing === obj) return change('unchanged', obj, []);
    const changes = fieldChanges(existing, obj, asApplied);
    return change(changes.length > 0 ? 'update' : 'unchanged', obj, changes);
  });
  const deletions = current
    .filter(obj => !desiredIds.has(identity(obj)))
    .reverse()
    .map(obj => change('delete', obj, fieldChanges(obj, undefined, asApplied)));
  return [...plan, ...deletions];
}
