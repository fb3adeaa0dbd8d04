import { ResourceRegistry, ServedResource } from '../api/resourceRegistry';

/**
 * Discovery documents: aggregated discovery (`apidiscovery.k8s.io/v2`,
 * what kubectl asks for first) and the legacy APIVersions / APIGroupList /
 * APIGroup / APIResourceList documents (what client-node's
 * KubernetesObjectApi reads).
 */

export const AGGREGATED_DISCOVERY_CONTENT_TYPE =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

const VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];
const STATUS_VERBS = ['get', 'patch', 'update'];

/** True when the Accept header asks for aggregated discovery v2. */
export function wantsAggregatedDiscovery(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some(item => {
    const params = item.split(';').map(p => p.trim());
    return (
      params.includes('g=apidiscovery.k8s.io') &&
      params.includes('v=v2') &&
      params.includes('as=APIGroupDiscoveryList')
    );
  });
}

function aggregatedResource({ kind, version }: ServedResource) {
  const responseKind = {
    group: kind.group,
    version: version.name,
    kind: kind.kind,
  };
  return {
    resource: kind.plural,
    responseKind,
    scope: kind.scope,
    singularResource: kind.singular,
    verbs: VERBS,
    ...(kind.shortNames.length ? { shortNames: kind.shortNames } : {}),
    ...(kind.categories.length ? { categories: kind.categories } : {}),
    ...(version.hasStatusSubresource
      ? {
          subresources: [
            { subresource: 'status', responseKind, verbs: STATUS_VERBS },
          ],
        }
      : {}),
  };
}

function aggregatedGroup(
  registry: ResourceRegistry,
  group: string,
  versions: string[],
) {
  return {
    metadata: { name: group, creationTimestamp: null },
    versions: versions.map(version => ({
      version,
      resources: registry
        .inGroupVersion(group, version)
        .map(aggregatedResource),
      freshness: 'Current',
    })),
  };
}

export function aggregatedDiscovery(registry: ResourceRegistry, core: boolean) {
  const items = core
    ? [aggregatedGroup(registry, '', ['v1'])]
    : registry
        .groups()
        .map(g => aggregatedGroup(registry, g.group, g.versions));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items,
  };
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(group: string, versions: string[]) {
  const entries = versions.map(version => ({
    groupVersion: `${group}/${version}`,
    version,
  }));
  return { name: group, versions: entries, preferredVersion: entries[0] };
}

export function apiGroupList(registry: ResourceRegistry) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().map(g => apiGroup(g.group, g.versions)),
  };
}

export function apiGroupDocument(registry: ResourceRegistry, group: string) {
  const found = registry.groups().find(g => g.group === group);
  return (
    found && {
      kind: 'APIGroup',
      apiVersion: 'v1',
      ...apiGroup(group, found.versions),
    }
  );
}

export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
) {
  const served = registry.inGroupVersion(group, version);
  if (served.length === 0) return undefined;
  const resources = served.flatMap(({ kind, version: v }) => {
    const main = {
      name: kind.plural,
      singularName: kind.singular,
      namespaced: kind.scope === 'Namespaced',
      kind: kind.kind,
      verbs: VERBS,
      ...(kind.shortNames.length ? { shortNames: kind.shortNames } : {}),
      ...(kind.categories.length ? { categories: kind.categories } : {}),
      storageVersionHash: Buffer.from(`${kind.group}/${kind.kind}`)
        .toString('base64')
        .slice(0, 11),
    };
    if (!v.hasStatusSubresource) return [main];
    return [
      main,
      {
        name: `${kind.plural}/status`,
        singularName: '',
        namespaced: main.namespaced,
        kind: kind.kind,
        verbs: STATUS_VERBS,
      },
    ];
  });
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}
