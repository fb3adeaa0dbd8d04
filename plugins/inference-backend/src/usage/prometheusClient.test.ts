import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceUnavailableError } from '@backstage/errors';
import { createPrometheusClient } from './prometheusClient';

/** A stand-in Prometheus HTTP API: answers each request with what `answer` says, records them. */
async function fakePrometheus(
  answer: (req: { url: string; body: URLSearchParams }) => {
    status?: number;
    body: string;
    hang?: boolean;
  },
) {
  const seen: Array<{
    url: string;
    body: URLSearchParams;
    authorization?: string;
  }> = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', chunk => {
      raw += chunk;
    });
    req.on('end', () => {
      const request = { url: req.url ?? '', body: new URLSearchParams(raw) };
      seen.push({ ...request, authorization: req.headers.authorization });
      const { status = 200, body, hang } = answer(request);
      if (hang) return;
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise(resolve => server.close(resolve));
    },
  };
}

const success = (resultType: string, result: unknown) =>
  JSON.stringify({ status: 'success', data: { resultType, result } });

describe('createPrometheusClient', () => {
  let server: Awaited<ReturnType<typeof fakePrometheus>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('posts instant and range queries to /api/v1 under the configured path, with a timeout', async () => {
    server = await fakePrometheus(({ url }) =>
      url.endsWith('/query_range')
        ? {
            body: success('matrix', [
              {
                metric: { client_id: 'key-000000000001' },
                values: [
                  [1700000000, '3'],
                  [1700000060, '4'],
                ],
              },
            ]),
          }
        : {
            body: success('vector', [
              { metric: { envoy_response_code_class: '2' }, value: [1, '12'] },
            ]),
          },
    );
    const client = createPrometheusClient({
      url: `http://127.0.0.1:${server.port}/prom`,
      timeoutMs: 3000,
    });
    await expect(client.query('up', 1700000000)).resolves.toEqual([
      { metric: { envoy_response_code_class: '2' }, value: 12 },
    ]);
    await expect(
      client.queryRange('up', {
        start: 1700000000,
        end: 1700000060,
        step: 60,
      }),
    ).resolves.toEqual([
      {
        metric: { client_id: 'key-000000000001' },
        values: [
          [1700000000, 3],
          [1700000060, 4],
        ],
      },
    ]);
    expect(server.seen.map(s => s.url)).toEqual([
      '/prom/api/v1/query',
      '/prom/api/v1/query_range',
    ]);
    expect(Object.fromEntries(server.seen[0].body)).toEqual({
      query: 'up',
      time: '1700000000',
      timeout: '3s',
    });
    expect(Object.fromEntries(server.seen[1].body)).toMatchObject({
      start: '1700000000',
      end: '1700000060',
      step: '60',
    });
  });

  it('reads a scalar result as one unlabelled sample', async () => {
    server = await fakePrometheus(() => ({
      body: success('scalar', [1, 'NaN']),
    }));
    const client = createPrometheusClient({
      url: `http://127.0.0.1:${server.port}`,
    });
    const [sample] = await client.query('scalar(up)', 1);
    expect(sample.metric).toEqual({});
    expect(sample.value).toBeNaN();
  });

  it('sends credentials of the URL as Basic auth and never shows them', async () => {
    server = await fakePrometheus(() => ({
      status: 422,
      body: JSON.stringify({
        status: 'error',
        errorType: 'execution',
        error: 'query processing would load too many samples',
      }),
    }));
    const client = createPrometheusClient({
      url: `http://reader:s3cret@127.0.0.1:${server.port}/`,
    });
    const error = await client.query('up', 1).catch(e => e);
    expect(server.seen[0].authorization).toBe(
      `Basic ${Buffer.from('reader:s3cret').toString('base64')}`,
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      'Usage figures are unavailable: Prometheus (127.0.0.1) failed the query (HTTP 422, execution: query processing would load too many samples)',
    );
    expect(error.message).not.toMatch(/s3cret|reader|api\/v1|up/);
  });

  it.each([
    [
      'an answer that is not the API',
      () => ({ status: 502, body: '<html>Bad gateway</html>' }),
      "answered HTTP 502 without the API's JSON (is the URL a Prometheus?)",
    ],
    [
      'a result of another type',
      () => ({ body: success('string', [1, 'x']) }),
      'answered a string result where a vector was expected',
    ],
    [
      'no answer within the deadline',
      () => ({ body: '', hang: true }),
      'did not answer within 0.3 s',
    ],
  ])(
    'turns %s into a 503 naming only the host',
    async (_what, answer, text) => {
      server = await fakePrometheus(answer);
      const client = createPrometheusClient({
        url: `http://127.0.0.1:${server.port}/some/path?token=abc`,
        timeoutMs: 300,
      });
      const error = await client.query('up', 1).catch(e => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toBe(
        `Usage figures are unavailable: Prometheus (127.0.0.1) ${text}`,
      );
    },
  );

  it('turns a refused connection into a 503', async () => {
    server = await fakePrometheus(() => ({ body: '' }));
    const { port } = server;
    await server.close();
    server = undefined;
    const client = createPrometheusClient({ url: `http://127.0.0.1:${port}` });
    await expect(client.query('up', 1)).rejects.toThrow(
      new ServiceUnavailableError(
        'Usage figures are unavailable: Prometheus (127.0.0.1) refused the connection',
      ),
    );
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => createPrometheusClient({ url: 'file:///etc/passwd' })).toThrow(
      /http or https/,
    );
  });
});
