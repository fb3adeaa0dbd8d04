/**
 * The built-in resources the sandbox serves and how the API server names them in discovery: the
 * kinds the Backstage Kubernetes plugin asks for (@backstage/plugin-kubernetes-backend
 * `KubernetesFanOutHandler` DEFAULT_OBJECTS: pods, services, configmaps, limitranges,
 * resourcequotas, deployments, replicasets, horizontalpodautoscalers, jobs, cronjobs, ingresses,
 * statefulsets, daemonsets, plus secrets and persistentvolumes) and those kubectl users and the
 * platform's manifests (configs/) use.
 *
 * Names, short names, categories, scope and subresources follow kubernetes v1.32 (the version the
 * sandbox reports): each resource's `pkg/registry/<group>/<resource>/storage/storage.go`
 * (`ShortNames()`, `Categories()`, `NamespaceScoped()` in `strategy.go`, the `status` REST) as
 * `kubectl api-resources` lists them. The `scale` subresource is not served (the sandbox has no
 * Scale handler), so it is not announced either.
 */

export interface BuiltinResource {
  /** API group; `''` for the legacy core group. */
  group: string;
  version: string;
  kind: string;
  plural: string;
  shortNames?: string[];
  /** `all` for the kinds `kubectl get all` lists. */
  categories?: string[];
  scope: 'Namespaced' | 'Cluster';
  /** Whether the resource has a `status` subresource. */
  status?: boolean;
  /** The OpenAPI definition of the kind (`io.k8s.api.<package>.<version>.<Kind>`). */
  definition: string;
}

const ALL = ['all'];

/** The Go package of an API group in the OpenAPI definition names (`networking.k8s.io` -> `networking`). */
function definitionPackage(group: string): string {
  if (group === '') return 'core';
  return group.replace(/\.k8s\.io$/, '').replace(/\.authorization$/, '');
}

/** The OpenAPI definition name of a built-in kind, e.g. `io.k8s.api.networking.v1.Ingress`. */
export function builtinDefinitionName(
  group: string,
  version: string,
  kind: string,
): string {
  return `io.k8s.api.${definitionPackage(group)}.${version}.${kind}`;
}

type Entry = Omit<BuiltinResource, 'group' | 'version' | 'definition'>;

function groupVersion(
  group: string,
  version: string,
  entries: Entry[],
): BuiltinResource[] {
  return entries.map(entry => ({
    group,
    version,
    ...entry,
    definition: builtinDefinitionName(group, version, entry.kind),
  }));
}

const NAMESPACED = 'Namespaced' as const;
const CLUSTER = 'Cluster' as const;

export const BUILTIN_RESOURCES: BuiltinResource[] = [
  ...groupVersion('', 'v1', [
    {
      kind: 'Namespace',
      plural: 'namespaces',
      shortNames: ['ns'],
      scope: CLUSTER,
      status: true,
    },
    { kind: 'Secret', plural: 'secrets', scope: NAMESPACED },
    {
      kind: 'ConfigMap',
      plural: 'configmaps',
      shortNames: ['cm'],
      scope: NAMESPACED,
    },
    {
      kind: 'Service',
      plural: 'services',
      shortNames: ['svc'],
      categories: ALL,
      scope: NAMESPACED,
      status: true,
    },
    {
      kind: 'Pod',
      plural: 'pods',
      shortNames: ['po'],
      categories: ALL,
      scope: NAMESPACED,
      status: true,
    },
    { kind: 'Event', plural: 'events', shortNames: ['ev'], scope: NAMESPACED },
    {
      kind: 'ServiceAccount',
      plural: 'serviceaccounts',
      shortNames: ['sa'],
      scope: NAMESPACED,
    },
    {
      kind: 'ResourceQuota',
      plural: 'resourcequotas',
      shortNames: ['quota'],
      scope: NAMESPACED,
      status: true,
    },
    {
      kind: 'LimitRange',
      plural: 'limitranges',
      shortNames: ['limits'],
      scope: NAMESPACED,
    },
    {
      kind: 'Endpoints',
      plural: 'endpoints',
      shortNames: ['ep'],
      scope: NAMESPACED,
    },
    {
      kind: 'PersistentVolumeClaim',
      plural: 'persistentvolumeclaims',
      shortNames: ['pvc'],
      scope: NAMESPACED,
      status: true,
    },
    {
      kind: 'PersistentVolume',
      plural: 'persistentvolumes',
      shortNames: ['pv'],
      scope: CLUSTER,
      status: true,
    },
    {
      kind: 'Node',
      plural: 'nodes',
      shortNames: ['no'],
      scope: CLUSTER,
      status: true,
    },
    {
      kind: 'ReplicationController',
      plural: 'replicationcontrollers',
      shortNames: ['rc'],
      categories: ALL,
      scope: NAMESPACED,
      status: true,
    },
  ]),
  ...groupVersion('apps', 'v1', [
    {
      kind: 'Deployment',
      plural: 'deployments',
      shortNames: ['deploy'],
      categories: ALL,
      scope: NAMESPACED,
      status: true,
    },
    {
      kind: 'ReplicaSet',
      plural: 'replicasets',
      shortNames: ['rs'],
      categories: ALL,
      scope: NAMESPACED,
      status: true,
    },
    {
      kind: 'StatefulSet',
      plural: 'statefulsets',
      shortNames: ['sts'],
      categories: ALL,
      scope: NAMESPACED,
      status: true,
    },
    {
      kind: 'DaemonSet',
      plural: 'daemonsets',
      shortNames: ['ds'],
      categories: ALL,
      scope: NAMESPACED,
      status: true,
    },
    {
      kind: 'ControllerRevision',
      plural: 'controllerrevisions',
      scope: NAMESPACED,
    },
  ]),
  ...groupVersion('batch', 'v1', [
    {
      kind: 'Job',
      plural: 'jobs',
      categories: ALL,
      scope: NAMESPACED,
      status: true,
    },
    {
      kind: 'CronJob',
      plural: 'cronjobs',
      shortNames: ['cj'],
      categories: ALL,
      scope: NAMESPACED,
      status: true,
    },
  ]),
  ...groupVersion('autoscaling', 'v2', [
    {
      kind: 'HorizontalPodAutoscaler',
      plural: 'horizontalpodautoscalers',
      shortNames: ['hpa'],
      categories: ALL,
      scope: NAMESPACED,
      status: true,
    },
  ]),
  ...groupVersion('networking.k8s.io', 'v1', [
    {
      kind: 'Ingress',
      plural: 'ingresses',
      shortNames: ['ing'],
      scope: NAMESPACED,
      status: true,
    },
    { kind: 'IngressClass', plural: 'ingressclasses', scope: CLUSTER },
    // NetworkPolicy's alpha status (1.24-1.27) is gone in 1.32, and was never a subresource by default.
    {
      kind: 'NetworkPolicy',
      plural: 'networkpolicies',
      shortNames: ['netpol'],
      scope: NAMESPACED,
    },
  ]),
  ...groupVersion('policy', 'v1', [
    {
      kind: 'PodDisruptionBudget',
      plural: 'poddisruptionbudgets',
      shortNames: ['pdb'],
      scope: NAMESPACED,
      status: true,
    },
  ]),
  ...groupVersion('rbac.authorization.k8s.io', 'v1', [
    { kind: 'Role', plural: 'roles', scope: NAMESPACED },
    { kind: 'RoleBinding', plural: 'rolebindings', scope: NAMESPACED },
    { kind: 'ClusterRole', plural: 'clusterroles', scope: CLUSTER },
    {
      kind: 'ClusterRoleBinding',
      plural: 'clusterrolebindings',
      scope: CLUSTER,
    },
  ]),
  ...groupVersion('coordination.k8s.io', 'v1', [
    { kind: 'Lease', plural: 'leases', scope: NAMESPACED },
  ]),
  ...groupVersion('discovery.k8s.io', 'v1', [
    { kind: 'EndpointSlice', plural: 'endpointslices', scope: NAMESPACED },
  ]),
  // The same events as the core group's, seen through events.k8s.io/v1 (pkg/registry/core/event);
  // the sandbox keeps the two apart.
  ...groupVersion('events.k8s.io', 'v1', [
    { kind: 'Event', plural: 'events', shortNames: ['ev'], scope: NAMESPACED },
  ]),
];
