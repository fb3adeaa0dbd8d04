import { JsonSchemaProps } from '../schema/types';
import { isPlainObject } from '../schema/structuralValidator';
import { FieldsV1 } from '../store/types';
import {
  childSchema,
  isAtomicMap,
  listMapKeys,
  listTypeOf,
} from './schemaNavigation';

/**
 * Field sets in the FieldsV1 encoding of `metadata.managedFields`: a trie
 * whose keys are `f:<field>`, `k:<json of list-map keys>` (an item of a
 * map list), `v:<json>` (an item of a set) and `.` (the item itself). A
 * path is the list of keys from the root to a leaf.
 */
export type FieldPath = string[];

type Json = Record<string, unknown>;

function mapItemKey(item: unknown, keys: string[]): string {
  const picked: Json = {};
  if (isPlainObject(item)) for (const k of keys) picked[k] = item[k];
  return `k:${JSON.stringify(picked)}`;
}

/** The fields set in `value`, as a FieldsV1 trie. */
export function fieldsOf(
  value: Json,
  schema: JsonSchemaProps | undefined,
): FieldsV1 {
  const fields: FieldsV1 = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    fields[`f:${key}`] = fieldsOfValue(child, childSchema(schema, key));
  }
  return fields;
}

function fieldsOfValue(
  value: unknown,
  schema: JsonSchemaProps | undefined,
): FieldsV1 {
  if (isPlainObject(value)) {
    if (isAtomicMap(schema) || Object.keys(value).length === 0) return {};
    return fieldsOf(value, schema);
  }
  if (Array.isArray(value)) {
    const listType = listTypeOf(schema);
    const fields: FieldsV1 = {};
    if (listType === 'map') {
      const keys = listMapKeys(schema);
      for (const item of value) {
        const nested = isPlainObject(item) ? fieldsOf(item, schema?.items) : {};
        fields[mapItemKey(item, keys)] = { '.': {}, ...nested };
      }
      return fields;
    }
    if (listType === 'set') {
      for (const item of value) fields[`v:${JSON.stringify(item)}`] = {};
      return fields;
    }
  }
  return {};
}

/** Every leaf path of a trie. */
export function leafPaths(
  fields: FieldsV1,
  prefix: FieldPath = [],
): FieldPath[] {
  const paths: FieldPath[] = [];
  for (const [key, child] of Object.entries(fields)) {
    const path = [...prefix, key];
    if (Object.keys(child).length === 0) paths.push(path);
    else paths.push(...leafPaths(child, path));
  }
  return paths;
}

/** Builds a trie from leaf paths. */
export function fieldsFromPaths(paths: FieldPath[]): FieldsV1 {
  const root: FieldsV1 = {};
  for (const path of paths) {
    let node = root;
    for (const key of path) {
      node[key] ??= {};
      node = node[key];
    }
  }
  return root;
}

export function pathId(path: FieldPath): string {
  return JSON.stringify(path);
}

/** True when `path` equals `prefix` or lies below it. */
export function hasPrefix(path: FieldPath, prefix: FieldPath): boolean {
  return (
    prefix.length <= path.length && prefix.every((key, i) => path[i] === key)
  );
}

function findListItem(list: unknown[], key: string): number {
  if (key.startsWith('k:')) {
    const wanted = JSON.parse(key.slice(2)) as Json;
    return list.findIndex(
      item =>
        isPlainObject(item) &&
        Object.entries(wanted).every(
          ([k, v]) => JSON.stringify(item[k]) === JSON.stringify(v),
        ),
    );
  }
  if (key.startsWith('v:')) {
    const wanted = key.slice(2);
    return list.findIndex(item => JSON.stringify(item) === wanted);
  }
  return -1;
}

/** The value at a path, or undefined when the path does not exist. */
export function valueAt(root: unknown, path: FieldPath): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (key === '.') continue;
    if (key.startsWith('f:')) {
      if (!isPlainObject(node)) return undefined;
      node = node[key.slice(2)];
    } else if (Array.isArray(node)) {
      const index = findListItem(node, key);
      node = index < 0 ? undefined : node[index];
    } else {
      return undefined;
    }
    if (node === undefined) return undefined;
  }
  return node;
}

/** Removes the field or list item a path names (a trailing `.` removes the item). */
export function removeAt(root: Json, path: FieldPath): void {
  const target = path[path.length - 1] === '.' ? path.slice(0, -1) : path;
  if (target.length === 0) return;
  const parent = valueAt(root, target.slice(0, -1));
  const last = target[target.length - 1];
  if (last.startsWith('f:') && isPlainObject(parent)) {
    delete parent[last.slice(2)];
  } else if (Array.isArray(parent)) {
    const index = findListItem(parent, last);
    if (index >= 0) parent.splice(index, 1);
  }
}

/** Renders a path the way structured-merge-diff prints it, e.g. `.spec.ports[name="http"].port`. */
export function renderPath(path: FieldPath): string {
  return path
    .filter(key => key !== '.')
    .map(key => {
      if (key.startsWith('f:')) return `.${key.slice(2)}`;
      if (key.startsWith('k:')) {
        const keys = JSON.parse(key.slice(2)) as Json;
        return `[${Object.entries(keys)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
      }
      return `[=${key.slice(2)}]`;
    })
    .join('');
}
