import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import {
  ApiException,
  ApisApi,
  BearerTokenAuthentication,
  KubeConfig,
  KubernetesObjectApi,
  ListWatch,
  PatchStrategy,
  ServerConfiguration,
  Watch,
  createConfiguration,
} from '@kubernetes/client-node';
import type {
  KubernetesObject,
  RequestContext,
  ResponseContext,
} from '@kubernetes/client-node';
import { toPortalError } from './errors';
import { createNodeHttpLibrary } from './nodeHttpLibrary';
import { DEFAULT_RETRY_POLICY, RetryPolicy, withRetries } from './retry';
import {
  ApiGroupInfo,
  ApplyOptions,
  ClusterClient,
  ClusterInformer,
  KubeObject,
  ListOptions,
  ObjectRef,
  WriteOptions,
  describeRef,
} from './types';

/**
 * A cluster entry, in the shape of the Kubernetes plugin's `clusterLocatorMethods` config clusters.
 * @public
 */
export interface ClusterConfig {
  name: string;
  url: string;
  serviceAccountToken?: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify?: boolean;
}

/**
 * How a cluster client talks to its cluster: the field manager of its applies, the deadline of
 * each request, and how failed calls are retried.
 * @public
 */
export interface ClusterClientOptions {
  fieldManager: string;
  requestTimeoutMs: number;
  retry?: RetryPolicy;
}

function kubeConfigFor(cluster: ClusterConfig): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        skipTLSVerify: cluster.skipTLSVerify ?? false,
        caData: cluster.caData,
        caFile: cluster.caFile,
      },
    ],
    users: [{ name: 'portal', token: cluster.serviceAccountToken }],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: 'portal' }],
    currentContext: cluster.name,
  });
  return kc;
}

/**
 * One keep-alive connection pool per cluster (client-node would otherwise open a new agent per
 * request), and a deadline on every request. The pool is not capped: how much the portal asks at
 * once is bounded by its callers (e.g. `inference.drift.concurrency`). (With client-node's default
 * transport, node-fetch 2.7, a capped pool also failed reads: it reports "Premature close" for a
 * chunked response whose socket the agent already handed to a queued request, lib/index.js
 * `fixResponseChunkedTransferBadEnding`; connectionReuse.test.ts keeps the burst that showed it.)
 */
function transportMiddleware(cluster: ClusterConfig, timeoutMs: number) {
  const agent = cluster.url.startsWith('https:')
    ? new https.Agent({
        keepAlive: true,
        rejectUnauthorized: !cluster.skipTLSVerify,
        ca: cluster.caData
          ? Buffer.from(cluster.caData, 'base64')
          : cluster.caFile && readFileSync(cluster.caFile),
      })
    : new http.Agent({ keepAlive: true });
  return {
    async pre(context: RequestContext) {
      context.setAgent(agent);
      context.setSignal(AbortSignal.timeout(timeoutMs));
      return context;
    },
    async post(context: ResponseContext) {
      return context;
    },
  };
}

/** client-node's object API with its discovery (a kind's resource name, cached) made public. */
class ObjectApi extends KubernetesObjectApi {
  resourceName(apiVersion: string, kind: string): Promise<string | undefined> {
    return this.resource(apiVersion, kind).then(resource => resource?.name);
  }
}

export function createClusterClient(
  cluster: ClusterConfig,
  options: ClusterClientOptions,
): ClusterClient {
  const kc = kubeConfigFor(cluster);
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.url, {}),
    httpApi: createNodeHttpLibrary(),
    // The cluster's credential is a static token (readClusterConfig.ts) and its TLS settings live
    // in the transport's agent, so each call only needs the header. The KubeConfig as auth method
    // (still used by the watches) would build a TLS agent per call, only for the transport's own
    // agent to replace it.
    authMethods: cluster.serviceAccountToken
      ? {
          default: new BearerTokenAuthentication(
            `Bearer ${cluster.serviceAccountToken}`,
          ),
        }
      : {},
    promiseMiddleware: [transportMiddleware(cluster, options.requestTimeoutMs)],
  });
  const objects = new ObjectApi(configuration);
  const apis = new ApisApi(configuration);
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;

  async function call<T>(
    what: string,
    idempotent: boolean,
    operation: () => Promise<T>,
  ): Promise<T> {
    try {
      return await withRetries(operation, { idempotent, policy });
    } catch (error) {
      throw toPortalError(cluster.name, what, error);
    }
  }

  const header = (ref: ObjectRef) => ({
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: { name: ref.name, namespace: ref.namespace },
  });

  return {
    name: cluster.name,
    fieldManager: options.fieldManager,

    async get<T extends KubeObject>(ref: ObjectRef) {
      return call(`read ${describeRef(ref)}`, true, async () => {
        try {
          return (await objects.read(header(ref))) as unknown as T;
        } catch (error) {
          if (error instanceof ApiException && error.code === 404)
            return undefined;
          throw error;
        }
      });
    },

    async list<T extends KubeObject>(
      apiVersion: string,
      kind: string,
      listOptions: ListOptions = {},
    ) {
      const items: T[] = [];
      let continueToken: string | undefined;
      do {
        const pageToken = continueToken;
        const page = await call(`list ${kind}`, true, () =>
          objects.list(
            apiVersion,
            kind,
            listOptions.namespace,
            undefined,
            undefined,
            undefined,
            undefined,
            listOptions.labelSelector,
            500,
            pageToken,
          ),
        );
        for (const item of page.items) {
          // List items carry no apiVersion/kind; callers compare and re-apply them as objects.
          items.push({ ...item, apiVersion, kind } as unknown as T);
        }
        continueToken = page.metadata?._continue || undefined;
      } while (continueToken);
      return items;
    },

    async apply<T extends KubeObject>(
      object: T,
      applyOptions: ApplyOptions = {},
    ) {
      return call(
        `apply ${describeRef({ ...object, ...object.metadata })}`,
        true,
        async () =>
          (await objects.patch(
            object as KubernetesObject,
            undefined,
            applyOptions.dryRun ? 'All' : undefined,
            options.fieldManager,
            applyOptions.force ?? false,
            PatchStrategy.ServerSideApply,
          )) as unknown as T,
      );
    },

    async delete(ref: ObjectRef, writeOptions: WriteOptions = {}) {
      return call(`delete ${describeRef(ref)}`, true, async () => {
        try {
          await objects.delete(
            header(ref),
            undefined,
            writeOptions.dryRun ? 'All' : undefined,
            undefined,
            undefined,
            'Background',
          );
          return true;
        } catch (error) {
          if (error instanceof ApiException && error.code === 404) return false;
          throw error;
        }
      });
    },

    informer(apiVersion, kind, { namespace, labelSelector }): ClusterInformer {
      const withKind = (object: KubernetesObject) =>
        ({ ...object, apiVersion, kind } as unknown as KubeObject);
      // The collection's path needs the kind's resource name (discovery, cached by client-node).
      const collectionPath = async () => {
        const resource = await objects.resourceName(apiVersion, kind);
        if (!resource) throw new Error(`${apiVersion} ${kind} is not served`);
        const base = apiVersion.includes('/')
          ? `/apis/${apiVersion}`
          : `/api/${apiVersion}`;
        return `${base}/namespaces/${namespace}/${resource}`;
      };
      let listWatch: ListWatch<KubernetesObject> | undefined;
      let failed: unknown;
      let stopped = false;
      const handlers: Array<(lw: ListWatch<KubernetesObject>) => void> = [];
      return {
        on(event: 'add' | 'update' | 'delete' | 'error', handler: any) {
          handlers.push(lw =>
            event === 'error'
              ? lw.on(event, handler)
              : lw.on(event, object => handler(withKind(object))),
          );
        },
        async start() {
          // Made once and started again after a watch ended: it then watches on from the last
          // resourceVersion it saw, or lists again (reporting what vanished as deleted).
          if (!listWatch) {
            const listFn = () =>
              objects.list(
                apiVersion,
                kind,
                namespace,
                undefined,
                undefined,
                undefined,
                undefined,
                labelSelector,
              );
            // Not started by the constructor: the handlers are attached first, so none misses
            // the list's objects.
            const path = await collectionPath();
            if (stopped) return;
            listWatch = new ListWatch(
              path,
              new Watch(kc),
              listFn,
              false,
              labelSelector,
            );
            for (const attach of handlers) attach(listWatch);
            listWatch.on('error', error => {
              failed ??= error;
            });
          }
          if (stopped) return;
          // A failed list or watch request is reported to the error handlers and ends the start.
          failed = undefined;
          await listWatch.start();
          if (failed)
            throw toPortalError(cluster.name, `watch ${kind}`, failed);
        },
        async stop() {
          stopped = true;
          await listWatch?.stop();
        },
        list() {
          return (listWatch?.list(namespace) ?? []).map(withKind);
        },
      } as ClusterInformer;
    },

    async apiGroups(): Promise<ApiGroupInfo[]> {
      const list = await call('API discovery', true, () =>
        apis.getAPIVersions(),
      );
      return list.groups.map(group => ({
        group: group.name,
        versions: group.versions.map(v => v.version),
        preferredVersion:
          group.preferredVersion?.version ?? group.versions[0]?.version ?? '',
      }));
    },
  };
}
