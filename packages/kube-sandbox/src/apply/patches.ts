import { isPlainObject } from '../schema/structuralValidator';

/** Thrown when a JSON patch cannot be applied (answered as 422/400 by the caller). */
export class PatchError extends Error {}

/** RFC 7386 JSON merge patch: objects merge recursively, `null` deletes a key. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isPlainObject(target)
    ? structuredClone(target)
    : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw new PatchError(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map(token => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function resolveParent(doc: unknown, tokens: string[], pointer: string) {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isPlainObject(node)) node = node[token];
    else node = undefined;
    if (node === undefined)
      throw new PatchError(`doc is missing path: "${pointer}"`);
  }
  return { parent: node, last: tokens[tokens.length - 1] };
}

function getAt(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isPlainObject(node)) node = node[token];
    else return undefined;
  }
  return node;
}

function removeAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0)
    throw new PatchError('cannot remove the document root');
  const { parent, last } = resolveParent(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!(index >= 0 && index < parent.length)) {
      throw new PatchError(
        `unable to remove nonexistent key: ${last}: missing value`,
      );
    }
    return parent.splice(index, 1)[0];
  }
  if (!isPlainObject(parent) || !(last in parent)) {
    throw new PatchError(
      `unable to remove nonexistent key: ${last}: missing value`,
    );
  }
  const removed = parent[last];
  delete parent[last];
  return removed;
}

function addAt(
  doc: unknown,
  pointer: string,
  value: unknown,
  replace: boolean,
): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return structuredClone(value);
  const { parent, last } = resolveParent(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (
      !(index >= 0 && index <= parent.length) ||
      (replace && index >= parent.length)
    ) {
      throw new PatchError(
        `add operation does not apply: doc is missing path: "${pointer}"`,
      );
    }
    parent.splice(index, replace ? 1 : 0, structuredClone(value));
  } else if (isPlainObject(parent)) {
    if (replace && !(last in parent)) {
      throw new PatchError(
        `replace operation does not apply: doc is missing key: ${pointer}`,
      );
    }
    parent[last] = structuredClone(value);
  } else {
    throw new PatchError(`doc is missing path: "${pointer}"`);
  }
  return doc;
}

/** RFC 6902 JSON patch. */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations))
    throw new PatchError('a JSON patch must be an array of operations');
  let doc = structuredClone(target);
  for (const raw of operations as JsonPatchOperation[]) {
    switch (raw?.op) {
      case 'add':
        doc = addAt(doc, raw.path, raw.value, false);
        break;
      case 'replace':
        doc = addAt(doc, raw.path, raw.value, true);
        break;
      case 'remove':
        removeAt(doc, raw.path);
        break;
      case 'move': {
        const moved = removeAt(doc, raw.from ?? '');
        doc = addAt(doc, raw.path, moved, false);
        break;
      }
      case 'copy':
        doc = addAt(doc, raw.path, getAt(doc, raw.from ?? ''), false);
        break;
      case 'test':
        if (
          JSON.stringify(getAt(doc, raw.path)) !== JSON.stringify(raw.value)
        ) {
          throw new PatchError(`testing value ${raw.path} failed`);
        }
        break;
      default:
        throw new PatchError(`Unexpected kind: ${String(raw?.op)}`);
    }
  }
  return doc;
}
