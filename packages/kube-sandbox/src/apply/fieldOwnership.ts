import { JsonSchemaProps } from '../schema/types';
import { ManagedFieldsEntry } from '../store/types';
import {
  FieldPath,
  fieldsFromPaths,
  fieldsOf,
  hasPrefix,
  leafPaths,
  pathId,
  removeAt,
  renderPath,
  valueAt,
} from './fieldSet';
import { mergeValues } from './mergeValues';
import {
  FieldScope,
  kubeTimestamp,
  sameManager,
  sameValue,
  trackedView,
} from './trackedFields';

type Json = Record<string, unknown>;

/** A field another manager owns with a different value. */
export interface FieldConflict {
  entry: ManagedFieldsEntry;
  path: FieldPath;
}

/** Thrown by {@link applyConfiguration} when conflicts exist and `force` is false. */
export class ApplyConflictError extends Error {
  constructor(readonly conflicts: FieldConflict[]) {
    super(describeConflicts(conflicts));
  }
}

/** How the API server names a manager in conflict messages. */
export function describeManager(entry: ManagedFieldsEntry): string {
  let text = JSON.stringify(entry.manager);
  if (entry.subresource)
    text += ` with subresource ${JSON.stringify(entry.subresource)}`;
  text += ` using ${entry.apiVersion}`;
  if (entry.operation === 'Update') text += ` at ${entry.time}`;
  return text;
}

/** The message of a 409 apply conflict, as the API server words it. */
export function describeConflicts(conflicts: FieldConflict[]): string {
  if (conflicts.length === 1) {
    const [only] = conflicts;
    return `Apply failed with 1 conflict: conflict with ${describeManager(
      only.entry,
    )}: ${renderPath(only.path)}`;
  }
  const lines: string[] = [];
  const byManager = new Map<string, FieldConflict[]>();
  for (const c of conflicts) {
    const label = describeManager(c.entry);
    byManager.set(label, [...(byManager.get(label) ?? []), c]);
  }
  for (const label of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${label}:`);
    for (const c of byManager.get(label)!)
      lines.push(`- ${renderPath(c.path)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

function withPaths(
  entry: ManagedFieldsEntry,
  paths: FieldPath[],
): ManagedFieldsEntry {
  return { ...entry, fieldsV1: fieldsFromPaths(paths) };
}

/** Drops paths that no longer exist in the object, and entries left empty. */
function pruneEntries(
  entries: ManagedFieldsEntry[],
  object: Json,
): ManagedFieldsEntry[] {
  return entries
    .map(entry =>
      withPaths(
        entry,
        leafPaths(entry.fieldsV1).filter(p => valueAt(object, p) !== undefined),
      ),
    )
    .filter(entry => Object.keys(entry.fieldsV1).length > 0);
}

export interface OwnershipContext {
  manager: string;
  apiVersion: string;
  scope: FieldScope;
  /** Merge schema of the kind (see mergeSchemaFor). */
  schema: JsonSchemaProps;
  now?: Date;
}

/**
 * Records an Update operation (create, PUT, merge/JSON patch): the manager
 * takes ownership of every field it set or changed, other managers lose
 * those fields without a conflict.
 */
export function recordUpdate(
  before: Json | undefined,
  after: Json,
  entries: ManagedFieldsEntry[],
  ctx: OwnershipContext,
): ManagedFieldsEntry[] {
  const subresource = ctx.scope === 'status' ? 'status' : undefined;
  const afterView = trackedView(after, ctx.scope);
  const beforeView = before ? trackedView(before, ctx.scope) : {};
  const changed = leafPaths(fieldsOf(afterView, ctx.schema)).filter(
    p =>
      before === undefined ||
      !sameValue(valueAt(beforeView, p), valueAt(afterView, p)),
  );
  const changedIds = new Set(changed.map(pathId));
  const own = entries.find(e =>
    sameManager(e, ctx.manager, 'Update', subresource),
  );
  const others = entries
    .filter(e => e !== own)
    .map(e =>
      withPaths(
        e,
        leafPaths(e.fieldsV1).filter(p => !changedIds.has(pathId(p))),
      ),
    );
  const ownPaths = own ? leafPaths(own.fieldsV1) : [];
  const ownIds = new Set(ownPaths.map(pathId));
  const merged = [...ownPaths, ...changed.filter(p => !ownIds.has(pathId(p)))];
  const updated: ManagedFieldsEntry[] = [...others];
  if (merged.length > 0) {
    updated.push({
      manager: ctx.manager,
      operation: 'Update',
      apiVersion: ctx.apiVersion,
      time: kubeTimestamp(ctx.now),
      fieldsType: 'FieldsV1',
      fieldsV1: fieldsFromPaths(merged),
      ...(subresource ? { subresource } : {}),
    });
  }
  return pruneEntries(updated, after);
}

/**
 * Server-side apply: merges `applied` into `live`, checks field ownership
 * (409 conflicts unless `force`), removes fields this manager applied
 * before but no longer applies (unless someone else owns them), and
 * returns the new object with its managedFields.
 */
export function applyConfiguration(
  live: Json | undefined,
  applied: Json,
  entries: ManagedFieldsEntry[],
  ctx: OwnershipContext & { force: boolean },
): { object: Json; managedFields: ManagedFieldsEntry[] } {
  const subresource = ctx.scope === 'status' ? 'status' : undefined;
  const appliedView = trackedView(applied, ctx.scope);
  const appliedFields = fieldsOf(appliedView, ctx.schema);
  const appliedPaths = leafPaths(appliedFields);
  const appliedIds = new Set(appliedPaths.map(pathId));
  const liveObject = live ?? {};

  const own = entries.find(e =>
    sameManager(e, ctx.manager, 'Apply', subresource),
  );
  let others = entries.filter(e => e !== own);
  const conflicts: FieldConflict[] = [];
  for (const entry of others) {
    for (const path of leafPaths(entry.fieldsV1)) {
      if (!appliedIds.has(pathId(path))) continue;
      if (!sameValue(valueAt(appliedView, path), valueAt(liveObject, path))) {
        conflicts.push({ entry, path });
      }
    }
  }
  if (conflicts.length > 0) {
    if (!ctx.force) throw new ApplyConflictError(conflicts);
    const lost = new Set(conflicts.map(c => pathId(c.path)));
    others = others.map(e =>
      withPaths(
        e,
        leafPaths(e.fieldsV1).filter(p => !lost.has(pathId(p))),
      ),
    );
  }

  const object = mergeValues(liveObject, appliedView, ctx.schema) as Json;

  const stillOwned = [
    ...appliedPaths,
    ...others.flatMap(e => leafPaths(e.fieldsV1)),
  ];
  for (const path of own ? leafPaths(own.fieldsV1) : []) {
    if (appliedIds.has(pathId(path))) continue;
    const target = path[path.length - 1] === '.' ? path.slice(0, -1) : path;
    if (stillOwned.some(p => hasPrefix(p, target))) continue;
    removeAt(object, path);
  }

  const ownEntry: ManagedFieldsEntry = {
    manager: ctx.manager,
    operation: 'Apply',
    apiVersion: ctx.apiVersion,
    time: kubeTimestamp(ctx.now),
    fieldsType: 'FieldsV1',
    fieldsV1: appliedFields,
    ...(subresource ? { subresource } : {}),
  };
  return { object, managedFields: pruneEntries([...others, ownEntry], object) };
}
