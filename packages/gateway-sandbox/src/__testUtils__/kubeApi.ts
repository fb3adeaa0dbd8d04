import { KubeObject } from '../objects/types';

function collectionPath(o: KubeObject): string {
  const [group, version] = o.apiVersion!.includes('/')
    ? o.apiVersion!.split('/')
    : ['', o.apiVersion!];
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const plural = `${o.kind!.toLowerCase().replace(/([^aeiou])y$/, '$1ie')}s`;
  return o.metadata.namespace
    ? `${base}/namespaces/${o.metadata.namespace}/${plural}`
    : `${base}/${plural}`;
}

async function send(method: string, url: string, body?: unknown) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as any };
}

/** Creates each object (POST), or replaces it (PUT) when it exists. */
export async function applyObjects(
  kubeUrl: string,
  objects: KubeObject[],
): Promise<KubeObject[]> {
  const applied: KubeObject[] = [];
  for (const o of objects) {
    const created = await send('POST', `${kubeUrl}${collectionPath(o)}`, o);
    if (created.status === 409) {
      applied.push(
        await replaceObject(kubeUrl, o, current => ({
          ...o,
          metadata: {
            ...o.metadata,
            resourceVersion: current.metadata.resourceVersion,
          },
        })),
      );
    } else if (created.status >= 300) {
      throw new Error(
        `create ${o.kind} ${o.metadata.name}: ${
          created.status
        } ${JSON.stringify(created.json)}`,
      );
    } else {
      applied.push(created.json);
    }
  }
  return applied;
}

/**
 * GET, change, PUT; returns the stored object (with its resourceVersion). A 409 means a controller
 * wrote the object (its status) between the GET and the PUT: read it again and retry, as clients
 * of an optimistic-concurrency API do (client-go `retry.RetryOnConflict`).
 */
export async function replaceObject(
  kubeUrl: string,
  o: KubeObject,
  change: (current: KubeObject) => KubeObject,
): Promise<KubeObject> {
  const url = `${kubeUrl}${collectionPath(o)}/${o.metadata.name}`;
  let replaced: { status: number; json: any };
  for (let attempt = 1; ; attempt++) {
    const current = await send('GET', url);
    replaced = await send('PUT', url, change(current.json));
    if (replaced.status !== 409 || attempt === 5) break;
  }
  if (replaced.status >= 300) {
    throw new Error(
      `replace ${o.kind} ${o.metadata.name}: ${
        replaced.status
      } ${JSON.stringify(replaced.json)}`,
    );
  }
  return replaced.json;
}
