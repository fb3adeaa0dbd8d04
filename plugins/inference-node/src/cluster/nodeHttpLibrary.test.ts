import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ServiceUnavailableError } from '@backstage/errors';
import { createClusterClient } from './createClusterClient';
import { KINDS } from '../kinds';
import type { KubeObject } from './types';

/**
 * The cluster client's transport (nodeHttpLibrary.ts) against a bare HTTP server playing an API
 * server: what a call sends, how answers are read (compressed, chunked, cut off), and how network
 * failures reach the portal's errors.
 */
const API_V1 = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    {
      name: 'secrets',
      singularName: 'secret',
      namespaced: true,
      kind: 'Secret',
      verbs: ['get', 'list', 'patch'],
    },
  ],
};

describe('the cluster client transport', () => {
  let server: http.Server;
  let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  let url: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      // Discovery, which client-node asks once for a kind's resource name.
      if (req.url === '/api/v1') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(API_V1));
      } else handler(req, res);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));

  const client = (
    options: { requestTimeoutMs?: number; name?: string; at?: string } = {},
  ) =>
    createClusterClient(
      {
        name: options.name ?? 'test',
        url: options.at ?? url,
        serviceAccountToken: 'token-1',
      },
      {
        fieldManager: 'inference-portal',
        requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
        retry: { maxAttempts: 1, baseDelayMs: 1 },
      },
    );
  const ref = {
    ...KINDS.secret,
    namespace: 'tenant-a',
    name: 'keys',
  };
  const secret = {
    ...KINDS.secret,
    metadata: { name: 'keys', namespace: 'tenant-a', resourceVersion: '7' },
    data: { k: 'dg==' },
  };

  it('sends the token and the apply body, and reads a gzip-compressed answer', async () => {
    const seen: { method?: string; url?: string; headers?: object }[] = [];
    let sent = '';
    handler = (req, res) => {
      seen.push({ method: req.method, url: req.url, headers: req.headers });
      req.on('data', chunk => {
        sent += chunk;
      });
      req.on('end', () => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        });
        res.end(gzipSync(JSON.stringify(secret)));
      });
    };
    const applied = await client().apply({
      ...KINDS.secret,
      metadata: { name: 'keys', namespace: 'tenant-a' },
      data: { k: 'dg==' },
    });
    expect(applied).toMatchObject({ metadata: { resourceVersion: '7' } });
    expect(seen).toEqual([
      expect.objectContaining({
        method: 'PATCH',
        url: '/api/v1/namespaces/tenant-a/secrets/keys?fieldManager=inference-portal&force=false',
        headers: expect.objectContaining({
          authorization: 'Bearer token-1',
          'content-type': 'application/apply-patch+yaml',
        }),
      }),
    ]);
    expect(JSON.parse(sent)).toMatchObject({ data: { k: 'dg==' } });
  });

  it('reads a chunked answer whole', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const body = JSON.stringify({
        ...secret,
        data: { big: 'x'.repeat(100_000) },
      });
      res.write(body.slice(0, 1000));
      setTimeout(() => res.end(body.slice(1000)), 10);
    };
    const read = await client().get<
      KubeObject & { data: Record<string, string> }
    >(ref);
    expect(read?.data.big).toHaveLength(100_000);
  });

  it('answers a connection cut off in the middle of an answer as the cluster being unreachable', async () => {
    handler = (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': '10000',
      });
      res.write(gzipSync(JSON.stringify(secret)).subarray(0, 20));
      setTimeout(() => res.socket?.destroy(), 10);
    };
    const failure = await client()
      .get(ref)
      .catch(e => e);
    expect(failure).toBeInstanceOf(ServiceUnavailableError);
    expect(failure.message).toMatch(/unreachable .*ECONNRESET/);
  });

  it('gives up at the request deadline', async () => {
    handler = () => {
      // Never answers.
    };
    const failure = await client({ requestTimeoutMs: 100 })
      .get(ref)
      .catch(e => e);
    expect(failure).toBeInstanceOf(ServiceUnavailableError);
    expect(failure.message).toMatch(/unreachable .*timed out/);
  });

  it('answers a TLS failure as the cluster being unreachable, naming its code and no address', async () => {
    // An https client against this plain-HTTP server: the handshake fails.
    const failure = await client({
      name: 'tls',
      at: url.replace('http:', 'https:'),
    })
      .get(ref)
      .catch(e => e);
    expect(failure).toBeInstanceOf(ServiceUnavailableError);
    expect(failure.message).toMatch(
      /^Kubernetes cluster 'tls' is unreachable \(read Secret tenant-a\/keys\): [A-Z_]+$/,
    );
  });

  it('names no address when the cluster refuses the connection', async () => {
    const closed = http.createServer();
    await new Promise<void>(r => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise(r => closed.close(r));
    const failure = await client({
      name: 'gone',
      at: `http://127.0.0.1:${port}`,
    })
      .get(ref)
      .catch(e => e);
    expect(failure).toBeInstanceOf(ServiceUnavailableError);
    expect(failure.message).toBe(
      "Kubernetes cluster 'gone' is unreachable (read Secret tenant-a/keys): ECONNREFUSED",
    );
  });
});
