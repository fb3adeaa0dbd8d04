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

  it("turns an error answer into a ResponseError with the backend's message", async () => {
    const { client } = clientAnswering(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'You may not test models',
          },
          response: { statusCode: 403 },
        }),
        {
          status: 403,
          headers: { 'content-type': 'application/json' },
        },
      ),
    );
    await expect(client.listModels()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
    });
  });

  it('answers undefined for a model that is not published', async () => {
    const { client } = clientAnswering(
      new Response('{}', {
        status: 404,
        headers: { 'content-type': 'application/json' },
      }),
    );
    await expect(client.getPublication(model)).resolves.toBeUndefined();
  });
});
