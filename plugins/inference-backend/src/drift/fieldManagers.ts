import type { KubeObject } from '@inference-in-a-box/backstage-plugin-inference-node';

/**
 * Who changed a field, read from an object's `metadata.managedFields`. A FieldsV1 set is a tree:
 * `f:<name>` for a map key, `k:<json>` for a list item identified by its merge keys, `v:<json>`
 * for an item of a set, and `.` for "this node itself"; an empty object marks a leaf the manager
 * owns. An atomic list is owned whole, as one `f:` leaf. (kubernetes-sigs/structured-merge-diff
 * v4 `fieldpath/serialize.go`, the format the API server writes since Kubernetes 1.18.)
 */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

type FieldSet = Record<string, unknown>;

const isSet = (v: unknown): v is FieldSet =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Splits a FieldChange path (`spec.rules.0.name`, `metadata.labels["a/b"]`) into its steps. */
export function parseFieldPath(path: string): (string | number)[] {
  const steps: (string | number)[] = [];
  const pattern = /\["((?:[^"\\]|\\.)*)"\]|([^.[\]]+)/g;
  for (const match of path.matchAll(pattern)) {
    if (match[1] !== undefined) steps.push(JSON.parse(`"${match[1]}"`));
    else steps.push(/^\d+$/.test(match[2]) ? Number(match[2]) : match[2]);
  }
  return steps;
}

/** The child of a list node that stands for `item`: a `k:` whose keys all match, or a `v:`. */
export function listItemChild(
  node: FieldSet,
  item: unknown,
): FieldSet | undefined {
  for (const [name, child] of Object.entries(node)) {
    if (!isSet(child)) continue;
    try {
      if (name.startsWith('k:')) {
        const keys = JSON.parse(name.slice(2)) as Record<string, unknown>;
        if (
          isSet(item) &&
          Object.entries(keys).every(([k, v]) => (item as FieldSet)[k] === v)
        )
          return child;
      } else if (name.startsWith('v:')) {
        if (JSON.stringify(JSON.parse(name.slice(2))) === JSON.stringify(item))
          return child;
      }
    } catch {
      // Not JSON: not a key this reader understands; other entries may still match.
    }
  }
  return undefined;
}

function childValue(value: unknown, step: string | number): unknown {
  if (Array.isArray(value)) return value[step as number];
  return isSet(value) ? value[String(step)] : undefined;
}

/**
 * How deep along `steps` a manager's set owns the field: the depth of the deepest node on the path
 * that is a leaf or carries `.`, or -1 when the manager owns nothing on the path.
 */
function ownedDepth(
  fields: FieldSet,
  steps: (string | number)[],
  live: unknown,
): number {
  let node: FieldSet = fields;
  let value: unknown = live;
  let owned = -1;
  for (let depth = 0; depth < steps.length; depth++) {
    const step = steps[depth];
    const child =
      typeof step === 'number'
        ? listItemChild(node, Array.isArray(value) ? value[step] : undefined)
        : node[`f:${step}`];
    if (!isSet(child)) return owned;
    if (Object.keys(child).length === 0 || '.' in child) owned = depth;
    node = child;
    value = childValue(value, step);
  }
  return owned;
}

export function managedFieldsOf(object: KubeObject): ManagedFieldsEntry[] {
  const entries = object.metadata.managedFields;
  return Array.isArray(entries) ? (entries as ManagedFieldsEntry[]) : [];
}

/** Entries that write the object itself (status and other subresources are controllers' business). */
function objectWriters(object: KubeObject): ManagedFieldsEntry[] {
  return managedFieldsOf(object).filter(
    e => !e.subresource && typeof e.manager === 'string',
  );
}

/** The managers other than `self` that wrote the object itself (not a subresource). */
export function otherManagers(object: KubeObject, self: string): string[] {
  return [
    ...new Set(
      objectWriters(object)
        .map(e => e.manager!)
        .filter(m => m !== self),
    ),
  ].sort();
}

/**
 * The manager that owns the live value at `path`, or (for a removed field, which nobody owns any
 * more) the manager other than `self` that wrote the object last. Undefined when neither is known.
 */
export function managerOfField(
  live: KubeObject,
  path: string,
  self: string,
): string | undefined {
  const steps = parseFieldPath(path);
  let best: { manager: string; depth: number } | undefined;
  for (const entry of objectWriters(live)) {
    const depth = isSet(entry.fieldsV1)
      ? ownedDepth(entry.fieldsV1, steps, live)
      : -1;
    if (depth >= 0 && (!best || depth > best.depth))
      best = { manager: entry.manager!, depth };
  }
  if (best && best.manager !== self) return best.manager;
  const latest = objectWriters(live)
    .filter(e => e.manager !== self)
    .sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''))[0];
  return latest?.manager ?? best?.manager;
}
