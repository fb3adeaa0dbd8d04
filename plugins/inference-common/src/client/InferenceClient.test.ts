import type { PlatformOverview } from '../api/types';
import { InferenceClient } from './InferenceClient';

const model = { cluster: 'local', namespace: 'tenant-a', name: 'qwen' };

function streamOf(pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async start(controller) {
      for (const piece of pieces) {
        await new Promise(r => setTimeout(r, 1));
        controller.enqueue(encoder.encode(piece));
      }
      controller.close();
    },
  });
}

function clientAnswering(response: Response) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) => response);
  const client = new InferenceClient({
    getBaseUrl: async () => 'http://backend/api/inference',
    fetch: fetch as never,
  });
  return { client, fetch };
}

/** An error answer of the backend, in Backstage's error body format. */
function errorAnswer(status: number, error: { name: string; message: string }) {
  return new Response(
    JSON.stringify({ error, response: { statusCode: status } }),
    { status, headers: { 'content-type': 'application/json' } },
  );
}

describe('InferenceClient', () => {
  it('reads a relayed stream chunk by chunk, even when events are split across reads', async () => {
    const { client, fetch } = clientAnswering(
      new Response(
        streamOf([
          'event: chunk\ndata: {"choices":[{"delta":{"content":"He"}}]}\n\nevent: ch',
          'unk\ndata: {"choices":[{"delta":{"content":"llo"}}]}\n\n',
          'event: result\ndata: {"status":200,"latencyMs":3,"headers":{},"usage":{"totalTokens":4}}\n\n',
        ]),
        { headers: { 'content-type': 'text/event-stream' } },
      ),
    );
    const chunks: string[] = [];
    const result = await client.streamTestModel(
      model,
      { protocol: 'openai-chat', target: 'gateway', body: {} },
      c => chunks.push(c),
    );
    expect(chunks.map(c => JSON.parse(c).choices[0].delta.content)).toEqual([
      'He',
      'llo',
    ]);
    expect(result).toMatchObject({ status: 200, usage: { totalTokens: 4 } });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(
      'http://backend/api/inference/models/local/tenant-a/qwen/test',
    );
    expect((init!.headers as Record<string, string>).Accept).toBe(
      'text/event-stream',
    );
    expect(JSON.parse(init!.body as string)).toMatchObject({ stream: true });
  });

  it('throws the error event of a stream that failed half-way', async () => {
    const { client } = clientAnswering(
      new Response(
        streamOf([
          'event: chunk\ndata: x\n\n',
          'event: error\ndata: {"name":"ServiceUnavailableError","message":"model went away"}\n\n',
        ]),
        {
          headers: { 'content-type': 'text/event-stream' },
        },
      ),
    );
    await expect(
      client.streamTestModel(
        model,
        { protocol: 'openai-chat', target: 'gateway' },
        () => {},
      ),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: 'model went away',
    });
  });

  it.each([
    ['listModels', (client: InferenceClient) => client.listModels()],
    [
      'getPlatformOverview',
      (client: InferenceClient) => client.getPlatformOverview(),
    ],
  ])(
    "turns an error answer to %s into a ResponseError with the backend's message",
    async (_method, call) => {
      const { client } = clientAnswering(
        errorAnswer(403, {
          name: 'NotAllowedError',
          message: 'You are not allowed to perform this action',
        }),
      );
      await expect(call(client)).rejects.toMatchObject({
        name: 'ResponseError',
        statusCode: 403,
        body: {
          error: { message: 'You are not allowed to perform this action' },
        },
      });
    },
  );

  it('answers undefined for a model that is not published', async () => {
    const { client } = clientAnswering(
      new Response('{}', {
        status: 404,
        headers: { 'content-type': 'application/json' },
      }),
    );
    await expect(client.getPublication(model)).resolves.toBeUndefined();
  });

  it("reads the platform overview with the caller's token", async () => {
    const overview: PlatformOverview = {
      clusters: [
        {
          cluster: 'local',
          reachable: true,
          apiGroups: [
            {
              group: 'serving.kserve.io',
              installed: true,
              versions: ['v1beta1'],
              preferredVersion: 'v1beta1',
            },
          ],
          gateway: {
            name: 'ai-inference-gateway',
            namespace: 'envoy-gateway-system',
            found: true,
            conditions: [{ type: 'Programmed', status: 'True' }],
          },
          tenants: [
            {
              tenant: 'tenant-a',
              namespace: 'tenant-a',
              models: 2,
              publications: 1,
            },
          ],
        },
      ],
    };
    const { client, fetch } = clientAnswering(
      new Response(JSON.stringify(overview), {
        headers: { 'content-type': 'application/json' },
      }),
    );
    await expect(
      client.getPlatformOverview({ token: 'admin-token' }),
    ).resolves.toEqual(overview);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://backend/api/inference/platform');
    expect(init).toMatchObject({
      method: 'GET',
      headers: { Authorization: 'Bearer admin-token' },
    });
  });
  it('reads usage by window, and passes on the 501 of a portal without Prometheus', async () => {
    const { client, fetch } = clientAnswering(
      new Response(JSON.stringify({ items: [] }), {
        headers: { 'content-type': 'application/json' },
      }),
    );
    await expect(client.getTenantUsage('24h')).resolves.toEqual([]);
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/inference/usage/tenants?window=24h',
    );

    const notConfigured = clientAnswering(
      errorAnswer(501, {
        name: 'NotImplementedError',
        message: 'Usage is not configured (inference.usage.prometheusUrl)',
      }),
    );
    await expect(
      notConfigured.client.getModelUsage(model, '7d'),
    ).rejects.toMatchObject({
      statusCode: 501,
      body: { error: { name: 'NotImplementedError' } },
    });
    expect(notConfigured.fetch.mock.calls[0][0]).toBe(
      'http://backend/api/inference/models/local/tenant-a/qwen/usage?window=7d',
    );
  });
});
