import { JsonSchemaProps } from '../schema/types';
import { ManagedFieldsEntry } from '../store/types';
import {
  ApplyConflictError,
  applyConfiguration,
  recordUpdate,
} from './fieldOwnership';
import { leafPaths, renderPath } from './fieldSet';
import { applyJsonPatch, applyMergePatch, PatchError } from './patches';
import { mergeSchemaFor } from './schemaNavigation';

const schema = mergeSchemaFor({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        image: { type: 'string' },
        replicas: { type: 'integer' },
        args: { type: 'array', items: { type: 'string' } },
        tags: {
          type: 'array',
          items: { type: 'string' },
          'x-kubernetes-list-type': 'set',
        },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, port: { type: 'integer' } },
          },
        },
        env: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  } as Record<string, JsonSchemaProps>,
});

type Json = Record<string, any>;
const ctx = (manager: string, force = false) => ({
  manager,
  apiVersion: 'example.com/v1',
  scope: 'all' as const,
  schema,
  force,
});

type Applied = { object: Json; managedFields: ManagedFieldsEntry[] };

/** Applies `applied` as `manager` on top of an earlier result, or to no object yet. */
function apply(
  previous: Applied | undefined,
  applied: Json,
  manager: string,
  force = false,
): Applied {
  return applyConfiguration(
    previous?.object,
    applied,
    previous?.managedFields ?? [],
    ctx(manager, force),
  );
}

function owned(entries: ManagedFieldsEntry[], manager: string): string[] {
  const entry = entries.find(e => e.manager === manager);
  return entry ? leafPaths(entry.fieldsV1).map(renderPath) : [];
}

describe('applyConfiguration', () => {
  const first = {
    metadata: { labels: { app: 'a' } },
    spec: {
      image: 'v1',
      args: ['--x'],
      ports: [{ name: 'http', port: 80 }],
      tags: ['t1'],
    },
  };

  it('creates the object and records what the manager applied', () => {
    const { object, managedFields } = apply(undefined, first, 'alice');
    expect(object).toEqual(first);
    expect(managedFields).toHaveLength(1);
    expect(managedFields[0]).toMatchObject({
      manager: 'alice',
      operation: 'Apply',
      fieldsType: 'FieldsV1',
    });
    expect(managedFields[0].fieldsV1).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:image': {},
        'f:args': {},
        'f:ports': {
          'k:{"name":"http"}': { '.': {}, 'f:name': {}, 'f:port': {} },
        },
        'f:tags': { 'v:"t1"': {} },
      },
    });
  });

  it('conflicts when another manager changes an owned field, unless forced', () => {
    const created = apply(undefined, first, 'alice');
    let conflict: ApplyConflictError | undefined;
    try {
      apply(created, { spec: { image: 'v2' } }, 'bob');
    } catch (error) {
      conflict = error as ApplyConflictError;
    }
    expect(conflict).toBeInstanceOf(ApplyConflictError);
    expect(conflict!.message).toBe(
      'Apply failed with 1 conflict: conflict with "alice" using example.com/v1: .spec.image',
    );

    const forced = apply(created, { spec: { image: 'v2' } }, 'bob', true);
    expect(forced.object.spec.image).toBe('v2');
    expect(owned(forced.managedFields, 'bob')).toEqual(['.spec.image']);
    expect(owned(forced.managedFields, 'alice')).not.toContain('.spec.image');
  });

  it('shares ownership without conflict when the value is the same', () => {
    const created = apply(undefined, first, 'alice');
    const shared = apply(created, { spec: { image: 'v1' } }, 'bob');
    expect(owned(shared.managedFields, 'alice')).toContain('.spec.image');
    expect(owned(shared.managedFields, 'bob')).toEqual(['.spec.image']);
  });

  it('lists several conflicts grouped by manager', () => {
    const created = apply(undefined, first, 'alice');
    expect(() =>
      apply(created, { spec: { image: 'v2', args: ['--y'] } }, 'bob'),
    ).toThrow(
      'Apply failed with 2 conflicts: conflicts with "alice" using example.com/v1:\n- .spec.image\n- .spec.args',
    );
  });

  it('removes fields the manager stopped applying, unless someone else owns them', () => {
    const created = apply(
      undefined,
      { spec: { image: 'v1', replicas: 2, env: { A: '1', B: '2' } } },
      'alice',
    );
    const bob = apply(created, { spec: { env: { B: '2' } } }, 'bob');
    const reapplied = apply(bob, { spec: { image: 'v1' } }, 'alice');
    expect(reapplied.object.spec).toEqual({ image: 'v1', env: { B: '2' } });
    expect(owned(reapplied.managedFields, 'alice')).toEqual(['.spec.image']);
  });

  it('merges map lists by key, unions sets and replaces atomic lists', () => {
    const created = apply(undefined, first, 'alice');
    const bob = apply(
      created,
      { spec: { ports: [{ name: 'grpc', port: 9000 }], tags: ['t2'] } },
      'bob',
    );
    expect(bob.object.spec.ports).toEqual([
      { name: 'http', port: 80 },
      { name: 'grpc', port: 9000 },
    ]);
    expect(bob.object.spec.tags).toEqual(['t1', 't2']);
    const alice = apply(
      bob,
      { ...first, spec: { ...first.spec, args: ['--z'] } },
      'alice',
    );
    expect(alice.object.spec.args).toEqual(['--z']);
  });

  it('drops a map-list item when its only manager stops applying it', () => {
    const created = apply(
      undefined,
      {
        spec: {
          ports: [
            { name: 'a', port: 1 },
            { name: 'b', port: 2 },
          ],
        },
      },
      'alice',
    );
    const next = apply(
      created,
      { spec: { ports: [{ name: 'a', port: 1 }] } },
      'alice',
    );
    expect(next.object.spec.ports).toEqual([{ name: 'a', port: 1 }]);
  });
});

describe('recordUpdate', () => {
  it('gives an updater the fields it changed and takes them from appliers without conflict', () => {
    const created = apply(
      undefined,
      { spec: { image: 'v1', replicas: 1 } },
      'alice',
    );
    const after = { spec: { image: 'v2', replicas: 1 } };
    const entries = recordUpdate(created.object, after, created.managedFields, {
      manager: 'kubectl-edit',
      apiVersion: 'example.com/v1',
      scope: 'all',
      schema,
    });
    expect(owned(entries, 'kubectl-edit')).toEqual(['.spec.image']);
    expect(owned(entries, 'alice')).toEqual(['.spec.replicas']);
    expect(entries.find(e => e.manager === 'kubectl-edit')?.operation).toBe(
      'Update',
    );
  });
});

describe('patches', () => {
  it('applies RFC 7386 merge patches', () => {
    expect(
      applyMergePatch(
        { a: 1, b: { c: 2, d: 3 } },
        { b: { c: null, e: 4 }, f: [1] },
      ),
    ).toEqual({
      a: 1,
      b: { d: 3, e: 4 },
      f: [1],
    });
  });

  it('applies RFC 6902 JSON patches', () => {
    const doc = { spec: { list: [1, 2], name: 'x' } };
    expect(
      applyJsonPatch(doc, [
        { op: 'add', path: '/spec/list/-', value: 3 },
        { op: 'replace', path: '/spec/name', value: 'y' },
        { op: 'remove', path: '/spec/list/0' },
        { op: 'copy', from: '/spec/name', path: '/spec/copy' },
        { op: 'test', path: '/spec/copy', value: 'y' },
      ]),
    ).toEqual({ spec: { list: [2, 3], name: 'y', copy: 'y' } });
    expect(doc.spec.list).toEqual([1, 2]);
    expect(() =>
      applyJsonPatch(doc, [{ op: 'test', path: '/spec/name', value: 'z' }]),
    ).toThrow(PatchError);
    expect(() =>
      applyJsonPatch(doc, [{ op: 'remove', path: '/spec/missing' }]),
    ).toThrow(PatchError);
  });
});
