import http from 'node:http';
import { AddressInfo } from 'node:net';
import { KindWatcher } from './kindWatcher';
import { KubeObject, WATCHED_KINDS } from './types';

/**
 * The reflector loop against a scripted API server: list, watch from the
 * list's resourceVersion, and list again when the watch says 410 (ERROR
 * event or HTTP status) or its stream ends, as client-go's reflector does.
 */

type WatchScript =
  /** Answer the watch request with this HTTP status and no stream. */
  | { status: number }
  /** Stream these events, then end the stream (`end`) or keep it open. */
  | { events: object[]; end?: boolean };

const SECRETS = WATCHED_KINDS.find(k => k.key === 'Secret')!;

function secret(name: string, resourceVersion: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'ns', resourceVersion: `${resourceVersion}` },
  };
}

/** A fake API server that answers lists and watches in the order given. */
async function scriptedApiServer(
  lists: Array<{ items: KubeObject[]; resourceVersion: number }>,
  watches: WatchScript[],
) {
  const requests: string[] = [];
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (url.pathname !== '/api/v1/secrets') {
      res.writeHead(404).end();
      return;
    }
    if (url.searchParams.get('watch') !== 'true') {
      requests.push('list');
      const list = lists.shift();
      if (!list) {
        res.writeHead(500).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'SecretList',
          metadata: { resourceVersion: `${list.resourceVersion}` },
          items: list.items,
        }),
      );
      return;
    }
    requests.push(`watch@${url.searchParams.get('resourceVersion')}`);
    const watch = watches.shift() ?? { events: [] };
    if ('status' in watch) {
      res.writeHead(watch.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', code: watch.status }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    for (const event of watch.events) res.write(`${JSON.stringify(event)}\n`);
    if (watch.end) res.end();
    else open.add(res);
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        for (const res of open) res.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('KindWatcher (list + watch, as client-go reflector.go)', () => {
  let server: Awaited<ReturnType<typeof scriptedApiServer>>;
  let watcher: KindWatcher;
  /** Object names and resourceVersions the cache would hold now. */
  let seen: { names: string[]; resourceVersion: number };
  const errors: unknown[] = [];

  function startWatcher(kind = SECRETS) {
    watcher = new KindWatcher({
      kubeApiUrl: server.url,
      kind,
      onChange: (objects, resourceVersion) => {
        seen = {
          names: [...objects.values()]
            .map(o => `${o.metadata.name}@${o.metadata.resourceVersion}`)
            .sort(),
          resourceVersion,
        };
      },
      onError: error => errors.push(error),
    });
    return watcher.start();
  }

  async function until(condition: () => boolean) {
    for (let started = Date.now(); !condition(); ) {
      if (Date.now() - started > 5_000)
        throw new Error(`never seen; requests: ${server.requests.join(', ')}`);
      await new Promise(r => setTimeout(r, 10));
    }
  }

  afterEach(async () => {
    watcher?.stop();
    await server?.close();
    errors.length = 0;
  });

  it("applies ADDED, MODIFIED and DELETED events, watching from the list's resourceVersion", async () => {
    server = await scriptedApiServer(
      [{ items: [secret('a', 5), secret('b', 6)], resourceVersion: 10 }],
      [
        {
          events: [
            { type: 'ADDED', object: secret('c', 11) },
            { type: 'MODIFIED', object: secret('a', 12) },
            { type: 'DELETED', object: secret('b', 13) },
          ],
        },
      ],
    );
    await startWatcher();
    await until(() => seen.resourceVersion === 13);
    expect(seen.names).toEqual(['a@12', 'c@11']);
    expect(server.requests).toEqual(['list', 'watch@10']);
    expect(errors).toEqual([]);
  });

  it('lists again after a 410 ERROR event, dropping what was deleted meanwhile', async () => {
    server = await scriptedApiServer(
      [
        { items: [secret('a', 5), secret('b', 6)], resourceVersion: 10 },
        { items: [secret('a', 15)], resourceVersion: 20 },
      ],
      [
        {
          events: [
            {
              type: 'ERROR',
              object: {
                kind: 'Status',
                code: 410,
                reason: 'Expired',
                message: 'too old resource version: 10 (19)',
              },
            },
          ],
        },
      ],
    );
    await startWatcher();
    expect(seen.names).toEqual(['a@5', 'b@6']);
    await until(() => seen.resourceVersion === 20);
    expect(seen.names).toEqual(['a@15']);
    await until(() => server.requests.length === 4);
    expect(server.requests).toEqual(['list', 'watch@10', 'list', 'watch@20']);
    expect(errors).toEqual([]);
  });

  it('lists again when the watch request answers 410 and when the stream ends', async () => {
    server = await scriptedApiServer(
      [
        { items: [secret('a', 5)], resourceVersion: 10 },
        { items: [secret('a', 5), secret('b', 18)], resourceVersion: 20 },
        { items: [secret('c', 25)], resourceVersion: 30 },
      ],
      [
        { status: 410 },
        { events: [{ type: 'ADDED', object: secret('d', 21) }], end: true },
      ],
    );
    await startWatcher();
    await until(() => seen.resourceVersion === 30);
    expect(seen.names).toEqual(['c@25']);
    await until(() => server.requests.length === 6);
    expect(server.requests).toEqual([
      'list',
      'watch@10',
      'list',
      'watch@20',
      'list',
      'watch@30',
    ]);
    expect(errors).toEqual([]);
  });

  it('reports other failures and keeps trying', async () => {
    server = await scriptedApiServer(
      [{ items: [secret('a', 5)], resourceVersion: 10 }],
      [{ status: 403 }],
    );
    await startWatcher();
    // The next list gets a 500 (the script has no more lists): reported, then retried.
    await until(() => errors.length >= 2);
    expect(String(errors[0])).toMatch(/watch secrets: HTTP 403/);
    expect(String(errors[1])).toMatch(/list secrets: HTTP 500/);
    expect(seen.names).toEqual(['a@5']);
  });

  it('takes an optional kind the server does not serve (404) as empty, without errors', async () => {
    server = await scriptedApiServer([], []);
    const knativeRoutes = WATCHED_KINDS.find(k => k.key === 'KnativeRoute')!;
    expect(knativeRoutes.optional).toBe(true);
    await startWatcher(knativeRoutes);
    expect(seen).toEqual({ names: [], resourceVersion: 0 });
    expect(errors).toEqual([]);
  });
});
