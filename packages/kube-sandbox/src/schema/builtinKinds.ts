import { LOOSE_OBJECT, STRING_MAP } from './commonSchemas';
import { CrdKind, JsonSchemaProps } from './types';

/**
 * The built-in kinds the sandbox serves: the legacy core (`/api/v1`) kinds Namespace, Secret,
 * ConfigMap, Service, Pod, Event, ServiceAccount, ResourceQuota, LimitRange, and `apps/v1`
 * Deployment and ReplicaSet (which the simulated KServe and Deployment controllers write). The
 * real API server validates them with hand-written Go code; these schemas check the top-level
 * shape and the fields tests rely on (Secret/ConfigMap data maps) and let the rest through.
 */

const byteMap: JsonSchemaProps = {
  type: 'object',
  additionalProperties: { type: 'string', format: 'byte' },
};
const objectReferences: JsonSchemaProps = {
  type: 'array',
  items: LOOSE_OBJECT,
};

function resource(
  properties: Record<string, JsonSchemaProps>,
): JsonSchemaProps {
  return {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      ...properties,
    },
  };
}

interface BuiltinDefinition {
  /** API group; omitted for the legacy core group. */
  group?: string;
  kind: string;
  plural: string;
  shortNames: string[];
  scope: 'Namespaced' | 'Cluster';
  hasStatus: boolean;
  schema: JsonSchemaProps;
}

const DEFINITIONS: BuiltinDefinition[] = [
  {
    kind: 'Namespace',
    plural: 'namespaces',
    shortNames: ['ns'],
    scope: 'Cluster',
    hasStatus: true,
    schema: resource({
      spec: {
        type: 'object',
        properties: {
          finalizers: { type: 'array', items: { type: 'string' } },
        },
      },
      status: LOOSE_OBJECT,
    }),
  },
  {
    kind: 'Secret',
    plural: 'secrets',
    shortNames: [],
    scope: 'Namespaced',
    hasStatus: false,
    schema: resource({
      data: byteMap,
      stringData: STRING_MAP,
      type: { type: 'string' },
      immutable: { type: 'boolean' },
    }),
  },
  {
    kind: 'ConfigMap',
    plural: 'configmaps',
    shortNames: ['cm'],
    scope: 'Namespaced',
    hasStatus: false,
    schema: resource({
      data: STRING_MAP,
      binaryData: byteMap,
      immutable: { type: 'boolean' },
    }),
  },
  {
    kind: 'Service',
    plural: 'services',
    shortNames: ['svc'],
    scope: 'Namespaced',
    hasStatus: true,
    schema: resource({ spec: LOOSE_OBJECT, status: LOOSE_OBJECT }),
  },
  {
    kind: 'Pod',
    plural: 'pods',
    shortNames: ['po'],
    scope: 'Namespaced',
    hasStatus: true,
    schema: resource({ spec: LOOSE_OBJECT, status: LOOSE_OBJECT }),
  },
  {
    kind: 'Event',
    plural: 'events',
    shortNames: ['ev'],
    scope: 'Namespaced',
    hasStatus: false,
    // core/v1 Event has ~15 top-level fields; none are checked here.
    schema: { ...resource({}), 'x-kubernetes-preserve-unknown-fields': true },
  },
  {
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    shortNames: ['sa'],
    scope: 'Namespaced',
    hasStatus: false,
    schema: resource({
      secrets: objectReferences,
      imagePullSecrets: objectReferences,
      automountServiceAccountToken: { type: 'boolean' },
    }),
  },
  // Not needed by the portal itself, but the tenant manifests in configs/ declare them.
  {
    kind: 'ResourceQuota',
    plural: 'resourcequotas',
    shortNames: ['quota'],
    scope: 'Namespaced',
    hasStatus: true,
    schema: resource({ spec: LOOSE_OBJECT, status: LOOSE_OBJECT }),
  },
  {
    kind: 'LimitRange',
    plural: 'limitranges',
    shortNames: ['limits'],
    scope: 'Namespaced',
    hasStatus: false,
    schema: resource({ spec: LOOSE_OBJECT }),
  },
  {
    group: 'apps',
    kind: 'Deployment',
    plural: 'deployments',
    shortNames: ['deploy'],
    scope: 'Namespaced',
    hasStatus: true,
    schema: resource({ spec: LOOSE_OBJECT, status: LOOSE_OBJECT }),
  },
  {
    group: 'apps',
    kind: 'ReplicaSet',
    plural: 'replicasets',
    shortNames: ['rs'],
    scope: 'Namespaced',
    hasStatus: true,
    schema: resource({ spec: LOOSE_OBJECT, status: LOOSE_OBJECT }),
  },
];

/** Kinds in `kubectl get all`, as the API server lists them in discovery. */
const IN_CATEGORY_ALL = new Set(['Pod', 'Service', 'Deployment', 'ReplicaSet']);

export const BUILTIN_KINDS: CrdKind[] = DEFINITIONS.map(def => ({
  group: def.group ?? '',
  kind: def.kind,
  listKind: `${def.kind}List`,
  plural: def.plural,
  singular: def.kind.toLowerCase(),
  shortNames: def.shortNames,
  categories: IN_CATEGORY_ALL.has(def.kind) ? ['all'] : [],
  scope: def.scope,
  versions: [
    {
      name: 'v1',
      served: true,
      storage: true,
      deprecated: false,
      hasStatusSubresource: def.hasStatus,
    },
  ],
  storageVersion: 'v1',
  sourceFile: '',
  schema: version => (version === 'v1' ? def.schema : undefined),
}));

/**
 * Whether a kind is built into the API server rather than defined by a CRD: built-in kinds
 * answer a DELETE with the object, take strategic merge patches and allow a PUT without
 * `metadata.resourceVersion`.
 */
export function isBuiltinKind(kind: CrdKind): boolean {
  return kind.sourceFile === '';
}
