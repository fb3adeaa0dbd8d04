import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import type {
  CustomResourcesByEntity,
  KubernetesObjectsByEntity,
  KubernetesObjectsProvider,
} from '@backstage/plugin-kubernetes-node';
import type {
  ClusterObjects,
  ObjectsByEntityResponse,
} from '@backstage/plugin-kubernetes-common';

/** The annotation the Kubernetes plugin reads an entity's namespace from (KubernetesFanOutHandler). */
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';

/**
 * What a caller may read through the Kubernetes plugin: everything (platform admins, the portal's
 * own backend plugins) or the namespaces of their tenants, as `cluster/namespace` keys.
 */
export type ReadScope =
  | { all: true }
  | { all: false; namespaces: ReadonlySet<string> };

export const namespaceKey = (cluster: string, namespace: string) =>
  `${cluster}/${namespace}`;

/**
 * Wraps the Kubernetes plugin's objects provider (the default `KubernetesFanOutHandler`), which
 * receives the entity to read and the caller's credentials on every read: POST /services/:id,
 * /resources/workloads/query, /resources/custom/query and the plugin's
 * `get-kubernetes-resources-for-entity` action.
 *
 * For a caller whose scope is not `all`:
 * - the entity must name its namespace (`backstage.io/kubernetes-namespace`; without it the plugin
 *   lists the label selector in every namespace of every cluster) and that namespace must belong
 *   to one of the caller's tenants on some cluster, otherwise the read is refused (403) before
 *   the cluster is asked;
 * - from the answer, only objects (and pod metrics) in one of the caller's tenant namespaces of
 *   the cluster they come from are kept: a tenant namespace on one cluster says nothing about
 *   the namespace of the same name on another, and objects without a namespace (cluster-scoped
 *   custom resources) are dropped.
 */
export class TenantScopedObjectsProvider implements KubernetesObjectsProvider {
  constructor(
    private readonly inner: KubernetesObjectsProvider,
    private readonly scopeOf: (
      credentials: BackstageCredentials,
    ) => Promise<ReadScope>,
  ) {}

  async getKubernetesObjectsByEntity(
    request: KubernetesObjectsByEntity,
    options: { credentials: BackstageCredentials },
  ): Promise<ObjectsByEntityResponse> {
    const scope = await this.authorize(request.entity, options.credentials);
    const response = await this.inner.getKubernetesObjectsByEntity(
      request,
      options,
    );
    return restrict(response, scope);
  }

  async getCustomResourcesByEntity(
    request: CustomResourcesByEntity,
    options: { credentials: BackstageCredentials },
  ): Promise<ObjectsByEntityResponse> {
    const scope = await this.authorize(request.entity, options.credentials);
    const response = await this.inner.getCustomResourcesByEntity(
      request,
      options,
    );
    return restrict(response, scope);
  }

  private async authorize(
    entity: Entity | undefined,
    credentials: BackstageCredentials,
  ): Promise<ReadScope> {
    const scope = await this.scopeOf(credentials);
    if (scope.all) return scope;
    const namespace =
      entity?.metadata?.annotations?.[ANNOTATION_KUBERNETES_NAMESPACE];
    if (!namespace) {
      throw new NotAllowedError(
        `Kubernetes objects of an entity without the ${ANNOTATION_KUBERNETES_NAMESPACE} annotation are readable by platform admins only`,
      );
    }
    const inATenant = [...scope.namespaces].some(
      key => key.slice(key.indexOf('/') + 1) === namespace,
    );
    if (!inATenant) {
      throw new NotAllowedError(
        `Kubernetes namespace '${namespace}' does not belong to one of your tenants`,
      );
    }
    return scope;
  }
}

/** The response with only what lies in the scope's namespaces of each cluster. */
export function restrict(
  response: ObjectsByEntityResponse,
  scope: ReadScope,
): ObjectsByEntityResponse {
  if (scope.all) return response;
  const allowed = (cluster: string, object: unknown) => {
    const namespace = (object as { metadata?: { namespace?: unknown } })
      ?.metadata?.namespace;
    return (
      typeof namespace === 'string' &&
      scope.namespaces.has(namespaceKey(cluster, namespace))
    );
  };
  return {
    ...response,
    items: response.items.map((item): ClusterObjects => {
      const cluster = item.cluster.name;
      return {
        ...item,
        resources: item.resources.map(
          fetched =>
            ({
              ...fetched,
              resources: (fetched.resources as unknown[]).filter(object =>
                allowed(cluster, object),
              ),
            } as typeof fetched),
        ),
        podMetrics: (item.podMetrics ?? []).filter(metrics =>
          allowed(cluster, metrics.pod),
        ),
      };
    }),
  };
}
