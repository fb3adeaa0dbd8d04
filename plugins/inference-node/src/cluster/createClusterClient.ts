import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { ApiException } from '@kubernetes/client-node';
import { toPortalError } from './errors';
import { DEFAULT_RETRY_POLICY, RetryPolicy, withRetries } from './retry';
import {
  ApiGroupInfo,
  ApplyOptions,
  ClusterClient,
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

/** What discovery says about a kind: its resource (plural) name and whether it lives in namespaces. */
interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * One keep-alive connection pool per cluster, a deadline on every request (the whole exchange,
 * body included), and the service account token. The pool is not capped: how much the portal asks
 * at once is bounded by its callers instead (e.g. `inference.drift.concurrency`), and a capped pool
 * only queues requests behind one another (connectionReuse.test.ts).
 *
 * Requests go straight through Node's http(s) module rather than through client-node's generated
 * API classes: those build each request through an rxjs pipeline, a KubeConfig and a new agent, and
 * pass each answer through node-fetch and a typed deserializer (turning timestamps into Dates on
 * reads but not on lists), about 0.6 ms of CPU per call, which was a third of a publish's own time
 * (README, "Where the time goes"). The answers are the API server's JSON as it sent it. Failures
 * are client-node's ApiException (status, body), so errors.ts and retry.ts read them as before.
 */
function createTransport(cluster: ClusterConfig, timeoutMs: number) {
  const base = new URL(cluster.url);
  const secure = base.protocol === 'https:';
  const prefix = base.pathname.replace(/\/+$/, '');
  const agent = secure
    ? new https.Agent({
        keepAlive: true,
        rejectUnauthorized: !cluster.skipTLSVerify,
        ca: cluster.caData
          ? Buffer.from(cluster.caData, 'base64')
          : cluster.caFile && readFileSync(cluster.caFile),
      })
    : new http.Agent({ keepAlive: true });
  const send = secure ? https.request : http.request;
  const auth: Record<string, string> = cluster.serviceAccountToken
    ? { authorization: `Bearer ${cluster.serviceAccountToken}` }
    : {};

  return function request(
    method: string,
    path: string,
    query: Record<string, string | undefined> = {},
    body?: { contentType: string; text: string },
  ): Promise<Answer> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) search.set(key, value);
    }
    const url = new URL(base.origin);
    url.pathname = `${prefix}${path}`;
    url.search = search.toString();
    return new Promise<Answer>((resolve, reject) => {
      const req = send(url, {
        method,
        agent,
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          accept: 'application/json',
          ...auth,
          ...(body
            ? {
                'content-type': body.contentType,
                'content-length': Buffer.byteLength(body.text),
              }
            : {}),
        },
      });
      req.on('error', reject);
      req.on('response', res => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status <= 299) {
            resolve({ status, headers: res.headers, text });
          } else {
            reject(
              new ApiException(
                status,
                'Unsuccessful HTTP Request',
                text,
                res.headers as Record<string, string>,
              ),
            );
          }
        });
      });
      req.end(body?.text);
    });
  };
}

const apiVersionPath = (apiVersion: string) =>
  apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;

export function createClusterClient(
  cluster: ClusterConfig,
  options: ClusterClientOptions,
): ClusterClient {
  const request = createTransport(cluster, options.requestTimeoutMs);
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

  /**
   * The resources of each apiVersion from discovery, kept for the client's life: a kind's resource
   * name and scope never change while its apiVersion is served. A kind not found is looked up
   * again (a CRD installed since), as client-node did; a failed lookup is not kept.
   */
  const discovery = new Map<string, Promise<ApiResource[]>>();
  async function resourceOf(
    apiVersion: string,
    kind: string,
  ): Promise<ApiResource> {
    const cached = discovery.get(apiVersion);
    const known = cached && (await cached.catch(() => undefined));
    const hit = known?.find(r => r.kind === kind);
    if (hit) return hit;
    const lookup = request('GET', apiVersionPath(apiVersion)).then(
      answer =>
        (
          JSON.parse(answer.text) as { resources?: ApiResource[] }
        ).resources?.filter(r => !r.name.includes('/')) ?? [],
    );
    discovery.set(apiVersion, lookup);
    lookup.catch(() => {
      if (discovery.get(apiVersion) === lookup) discovery.delete(apiVersion);
    });
    let resources: ApiResource[];
    try {
      resources = await lookup;
    } catch (error) {
      if (error instanceof Error) {
        error.message = `Failed to fetch resource metadata for ${apiVersion}/${kind}: ${error.message}`;
      }
      throw error;
    }
    const found = resources.find(r => r.kind === kind);
    if (!found) {
      throw new Error(
        `Unrecognized API version and kind: ${apiVersion} ${kind}`,
      );
    }
    return found;
  }

  /** The path of a kind's collection (in a namespace, or across all), or of one object. */
  async function pathOf(ref: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name?: string;
  }): Promise<string> {
    const resource = await resourceOf(ref.apiVersion, ref.kind);
    let path = apiVersionPath(ref.apiVersion);
    if (resource.namespaced && ref.namespace) {
      path += `/namespaces/${encodeURIComponent(ref.namespace)}`;
    }
    path += `/${resource.name}`;
    if (ref.name !== undefined) path += `/${encodeURIComponent(ref.name)}`;
    return path;
  }

  const json = <T>(answer: Answer) => JSON.parse(answer.text) as T;

  return {
    name: cluster.name,
    fieldManager: options.fieldManager,

    async get<T extends KubeObject>(ref: ObjectRef) {
      return call(`read ${describeRef(ref)}`, true, async () => {
        try {
          return json<T>(await request('GET', await pathOf(ref)));
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
        const page = await call(`list ${kind}`, true, async () =>
          json<{ items: T[]; metadata?: { continue?: string } }>(
            await request(
              'GET',
              await pathOf({
                apiVersion,
                kind,
                namespace: listOptions.namespace,
              }),
              {
                labelSelector: listOptions.labelSelector,
                limit: '500',
                continue: pageToken,
              },
            ),
          ),
        );
        for (const item of page.items ?? []) {
          // List items carry no apiVersion/kind; callers compare and re-apply them as objects.
          items.push({ ...item, apiVersion, kind } as T);
        }
        continueToken = page.metadata?.continue || undefined;
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
          json<T>(
            await request(
              'PATCH',
              await pathOf({
                apiVersion: object.apiVersion,
                kind: object.kind,
                namespace: object.metadata.namespace,
                name: object.metadata.name,
              }),
              {
                dryRun: applyOptions.dryRun ? 'All' : undefined,
                fieldManager: options.fieldManager,
                force: String(applyOptions.force ?? false),
              },
              // JSON is YAML: the apply patch type of the API server (and of kubectl).
              {
                contentType: 'application/apply-patch+yaml',
                text: JSON.stringify(object),
              },
            ),
          ),
      );
    },

    async delete(ref: ObjectRef, writeOptions: WriteOptions = {}) {
      return call(`delete ${describeRef(ref)}`, true, async () => {
        try {
          await request('DELETE', await pathOf(ref), {
            dryRun: writeOptions.dryRun ? 'All' : undefined,
            propagationPolicy: 'Background',
          });
          return true;
        } catch (error) {
          if (error instanceof ApiException && error.code === 404) return false;
          throw error;
        }
      });
    },

    async apiGroups(): Promise<ApiGroupInfo[]> {
      const list = await call('API discovery', true, async () =>
        json<{
          groups: {
            name: string;
            versions: { version: string }[];
            preferredVersion?: { version: string };
          }[];
        }>(await request('GET', '/apis')),
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
