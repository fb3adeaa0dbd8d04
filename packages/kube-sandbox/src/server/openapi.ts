import { createHash } from 'node:crypto';
import fs from 'node:fs';
import {
  ResourceKind,
  ResourceRegistry,
  ServedResource,
} from '../api/resourceRegistry';
import { builtinDefinitionName } from '../schema/builtin/builtinResources';
import { isBuiltinKind } from '../schema/builtinKinds';
import { LOOSE_OBJECT, STRING_MAP, STRING_SET } from '../schema/commonSchemas';
import { JsonSchemaProps } from '../schema/types';
import { KUBERNETES_VERSION } from './version';

/**
 * OpenAPI v3 documents. kubectl `apply`/`create` download the root and the
 * group-version document and look for a PATCH operation of the kind that
 * lists the `fieldValidation` parameter; without it they refuse to run
 * unless `--validate=false`. The component schemas are the CRDs' own.
 */

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const OBJECT_META: JsonSchemaProps = {
  type: 'object',
  description: 'Standard object metadata.',
  properties: {
    name: { type: 'string' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer', format: 'int64' },
    creationTimestamp: { type: 'string', format: 'date-time' },
    deletionTimestamp: { type: 'string', format: 'date-time' },
    deletionGracePeriodSeconds: { type: 'integer', format: 'int64' },
    labels: STRING_MAP,
    annotations: STRING_MAP,
    finalizers: STRING_SET,
    ownerReferences: { type: 'array', items: LOOSE_OBJECT },
    managedFields: { type: 'array', items: LOOSE_OBJECT },
  },
};

function schemaName(version: string, resourceKind: ResourceKind): string {
  const { group, kind } = resourceKind;
  // Built-in kinds keep their Kubernetes names (io.k8s.api.apps.v1.Deployment).
  if (isBuiltinKind(resourceKind)) {
    return builtinDefinitionName(group, version, kind);
  }
  const reversed = group
    ? group.split('.').reverse().join('.')
    : 'io.k8s.api.core';
  return `${reversed}.${version}.${kind}`;
}

function ref(name: string) {
  return { $ref: `#/components/schemas/${name}` };
}

function queryParameter(name: string, type = 'string') {
  return { name, in: 'query', schema: { type, uniqueItems: true } };
}

const WRITE_PARAMETERS = ['dryRun', 'fieldManager', 'fieldValidation'].map(n =>
  queryParameter(n),
);
const LIST_PARAMETERS = [
  'labelSelector',
  'fieldSelector',
  'continue',
  'resourceVersion',
]
  .map(n => queryParameter(n))
  .concat([
    queryParameter('limit', 'integer'),
    queryParameter('watch', 'boolean'),
  ]);

function operation(
  served: ServedResource,
  action: string,
  responseSchema: string,
  parameters: object[],
  withBody = false,
) {
  const { kind, version } = served;
  return {
    operationId: `${action}${kind.kind}`,
    parameters,
    ...(withBody
      ? {
          requestBody: {
            content: { '*/*': { schema: ref(responseSchema) } },
            required: true,
          },
        }
      : {}),
    responses: {
      '200': {
        description: 'OK',
        content: { 'application/json': { schema: ref(responseSchema) } },
      },
    },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': {
      group: kind.group,
      version: version.name,
      kind: kind.kind,
    },
  };
}

function pathsFor(
  served: ServedResource,
  itemSchema: string,
  listSchemaName: string,
) {
  const { kind, version } = served;
  const base = kind.group ? `/apis/${kind.group}/${version.name}` : '/api/v1';
  const collection =
    kind.scope === 'Namespaced'
      ? `${base}/namespaces/{namespace}/${kind.plural}`
      : `${base}/${kind.plural}`;
  const pathParameters =
    kind.scope === 'Namespaced'
      ? [
          {
            name: 'namespace',
            in: 'path',
            required: true,
            schema: { type: 'string' },
          },
        ]
      : [];
  const nameParameter = {
    name: 'name',
    in: 'path',
    required: true,
    schema: { type: 'string' },
  };
  const itemOperations = {
    get: operation(served, 'get', itemSchema, []),
    put: operation(served, 'put', itemSchema, WRITE_PARAMETERS, true),
    patch: operation(
      served,
      'patch',
      itemSchema,
      [...WRITE_PARAMETERS, queryParameter('force', 'boolean')],
      true,
    ),
  };
  const paths: Record<string, object> = {
    [collection]: {
      parameters: pathParameters,
      get: operation(served, 'list', listSchemaName, LIST_PARAMETERS),
      post: operation(served, 'post', itemSchema, WRITE_PARAMETERS, true),
      delete: operation(
        served,
        'deletecollection',
        `${META}.Status`,
        LIST_PARAMETERS,
      ),
    },
    [`${collection}/{name}`]: {
      parameters: [...pathParameters, nameParameter],
      ...itemOperations,
      delete: operation(served, 'delete', `${META}.Status`, [
        queryParameter('dryRun'),
      ]),
    },
  };
  if (version.hasStatusSubresource) {
    paths[`${collection}/{name}/status`] = {
      parameters: [...pathParameters, nameParameter],
      ...itemOperations,
    };
  }
  if (kind.scope === 'Namespaced') {
    paths[`${base}/${kind.plural}`] = {
      get: operation(served, 'list', listSchemaName, LIST_PARAMETERS),
    };
  }
  return paths;
}

function kindSchema(
  served: ServedResource,
): JsonSchemaProps & Record<string, unknown> {
  const { kind, version } = served;
  const schema = kind.schema(version.name) ?? { type: 'object' };
  return {
    ...schema,
    properties: {
      ...(schema.properties ?? {}),
      metadata: { allOf: [ref(`${META}.ObjectMeta`)] } as JsonSchemaProps,
    },
    'x-kubernetes-group-version-kind': [
      { group: kind.group, version: version.name, kind: kind.kind },
    ],
  };
}

function listSchema(served: ServedResource, itemSchema: string) {
  const { kind, version } = served;
  return {
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { allOf: [ref(`${META}.ListMeta`)] },
      items: { type: 'array', items: ref(itemSchema) },
    },
    'x-kubernetes-group-version-kind': [
      { group: kind.group, version: version.name, kind: kind.listKind },
    ],
  };
}

/** Builds and caches the OpenAPI documents of the served group-versions. */
export class OpenApiDocuments {
  readonly #documents = new Map<string, string>();

  constructor(private readonly registry: ResourceRegistry) {}

  static pathKey(group: string, version: string): string {
    return group ? `apis/${group}/${version}` : `api/${version}`;
  }

  /** A hash that changes when the definitions behind a group-version change. */
  #hash(group: string, version: string): string {
    const hash = createHash('sha256');
    for (const { kind } of this.registry.inGroupVersion(group, version)) {
      hash.update(`${kind.kind}\0${kind.plural}\0${kind.sourceFile}\0`);
      if (kind.sourceFile)
        hash.update(String(fs.statSync(kind.sourceFile).mtimeMs));
    }
    return hash.digest('hex').slice(0, 32).toUpperCase();
  }

  root() {
    const groupVersions = [
      { group: '', version: 'v1' },
      ...this.registry
        .groups()
        .flatMap(g => g.versions.map(version => ({ group: g.group, version }))),
    ];
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const { group, version } of groupVersions) {
      const key = OpenApiDocuments.pathKey(group, version);
      paths[key] = {
        serverRelativeURL: `/openapi/v3/${key}?hash=${this.#hash(
          group,
          version,
        )}`,
      };
    }
    return { paths };
  }

  /** The group-version document as JSON text, or undefined when nothing is served there. */
  groupVersion(group: string, version: string): string | undefined {
    const key = OpenApiDocuments.pathKey(group, version);
    const cached = this.#documents.get(key);
    if (cached) return cached;
    const served = this.registry.inGroupVersion(group, version);
    if (served.length === 0) return undefined;
    const schemas: Record<string, unknown> = {
      [`${META}.ObjectMeta`]: OBJECT_META,
      [`${META}.ListMeta`]: {
        type: 'object',
        properties: {
          resourceVersion: { type: 'string' },
          continue: { type: 'string' },
          remainingItemCount: { type: 'integer', format: 'int64' },
        },
      },
      [`${META}.Status`]: {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
      },
    };
    let paths: Record<string, object> = {};
    for (const entry of served) {
      const item = schemaName(version, entry.kind);
      const list = `${item}List`;
      schemas[item] = kindSchema(entry);
      schemas[list] = listSchema(entry, item);
      paths = { ...paths, ...pathsFor(entry, item, list) };
    }
    const text = JSON.stringify({
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: KUBERNETES_VERSION.gitVersion },
      paths,
      components: { schemas },
    });
    this.#documents.set(key, text);
    return text;
  }
}
