import { ModelServer, startModelServer } from './modelServer';

let server: ModelServer;

beforeAll(async () => {
  server = await startModelServer({ models: ['tiny'] });
});

afterAll(() => server.close());

async function post(path: string, body: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    text: await response.text(),
  };
}

/** Parses an SSE body into its `data:` payloads. */
function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter(block => block.startsWith('data: '))
    .map(block => block.slice('data: '.length));
}

const chat = {
  model: 'tiny',
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'hello there' },
  ],
};

describe('OpenAI-compatible API', () => {
  it('answers chat completions deterministically with usage', async () => {
    const first = JSON.parse((await post('/v1/chat/completions', chat)).text);
    const second = JSON.parse(
      (await post('/openai/v1/chat/completions', chat)).text,
    );
    expect(first).toMatchObject({
      object: 'chat.completion',
      model: 'tiny',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Mock reply from tiny: hello there',
          },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 4, completion_tokens: 6, total_tokens: 10 },
    });
    expect(second.choices).toEqual(first.choices);
    expect(second.id).toBe(first.id);
  });

  it('streams chat completions as SSE chunks ending with usage and [DONE]', async () => {
    const response = await post('/v1/chat/completions', {
      ...chat,
      stream: true,
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const data = sseData(response.text);
    expect(data[data.length - 1]).toBe('[DONE]');
    const chunks = data.slice(0, -1).map(d => JSON.parse(d));
    expect(chunks.every(c => c.object === 'chat.completion.chunk')).toBe(true);
    const text = chunks.map(c => c.choices[0]?.delta?.content ?? '').join('');
    expect(text).toBe('Mock reply from tiny: hello there');
    expect(
      chunks.find(c => c.choices[0]?.finish_reason)?.choices[0].finish_reason,
    ).toBe('stop');
    expect(chunks[chunks.length - 1]).toMatchObject({
      choices: [],
      usage: { total_tokens: 10 },
    });
  });

  it('truncates at max_tokens with finish_reason length', async () => {
    const body = JSON.parse(
      (await post('/v1/chat/completions', { ...chat, max_tokens: 3 })).text,
    );
    expect(body.choices[0]).toMatchObject({
      message: { content: 'Mock reply from' },
      finish_reason: 'length',
    });
    expect(body.usage.completion_tokens).toBe(3);
  });

  it('serves completions, embeddings and the model list', async () => {
    const completion = JSON.parse(
      (await post('/v1/completions', { model: 'tiny', prompt: 'say hi' })).text,
    );
    expect(completion.choices[0].text).toBe('Mock reply from tiny: say hi');
    expect(completion.usage).toEqual({
      prompt_tokens: 2,
      completion_tokens: 6,
      total_tokens: 8,
    });

    const embedded = JSON.parse(
      (await post('/v1/embeddings', { model: 'tiny', input: ['a', 'b'] })).text,
    );
    expect(embedded.data).toHaveLength(2);
    const [a, b] = embedded.data.map((d: any) => d.embedding as number[]);
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    expect(a).not.toEqual(b);
    expect(
      JSON.parse(
        (await post('/v1/embeddings', { model: 'tiny', input: 'a' })).text,
      ).data[0].embedding,
    ).toEqual(a);

    const models = await (await fetch(`${server.url}/v1/models`)).json();
    expect(models.data.map((m: any) => m.id)).toEqual(['tiny']);
  });

  it('answers bad JSON and bad requests with 400 and a JSON error', async () => {
    const badJson = await post('/v1/chat/completions', '{not json');
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.text).error.message).toMatch(/invalid JSON body/);
    const noMessages = await post('/v1/chat/completions', { model: 'tiny' });
    expect(noMessages.status).toBe(400);
    expect((await fetch(`${server.url}/nothing/here`)).status).toBe(404);
  });
});

describe('KServe protocols', () => {
  const iris = {
    instances: [
      [5.1, 3.5, 1.4, 0.2],
      [6.2, 2.9, 4.3, 1.3],
      [7.7, 3.0, 6.1, 2.3],
    ],
  };

  it('predicts with the v1 protocol, also under a gateway prefix', async () => {
    const direct = JSON.parse(
      (await post('/v1/models/iris:predict', iris)).text,
    );
    expect(direct).toEqual({ predictions: [0, 1, 2] });
    const prefixed = JSON.parse(
      (await post('/models/tenant-a/iris/v1/models/iris:predict', iris)).text,
    );
    expect(prefixed).toEqual(direct);
    expect((await post('/v1/models/iris:predict', { rows: [] })).status).toBe(
      400,
    );
  });

  it('infers with the v2 protocol', async () => {
    const body = {
      inputs: [
        {
          name: 'input-0',
          shape: [2, 4],
          datatype: 'FP32',
          data: [5.1, 3.5, 1.4, 0.2, 7.7, 3.0, 6.1, 2.3],
        },
      ],
    };
    const result = JSON.parse((await post('/v2/models/iris/infer', body)).text);
    expect(result).toMatchObject({
      model_name: 'iris',
      outputs: [
        { name: 'output-0', shape: [2], datatype: 'INT64', data: [0, 2] },
      ],
    });
    const mismatched = await post('/v2/models/iris/infer', {
      inputs: [{ ...body.inputs[0], shape: [3, 4] }],
    });
    expect(mismatched.status).toBe(400);
    const ready = await (
      await fetch(`${server.url}/v2/models/iris/ready`)
    ).json();
    expect(ready).toEqual({ name: 'iris', ready: true });
  });
});

describe('the served-by marker (the sandbox device the gateway double uses)', () => {
  const destination = 'm-predictor-00002.tenant-a.svc.cluster.local';

  it('echoes the destination the gateway double names, on answers of every kind', async () => {
    const asked = (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, {
        ...init,
        headers: {
          'content-type': 'application/json',
          'x-gateway-sandbox-destination': destination,
        },
      });
    const streamed = await asked('/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ ...chat, stream: true }),
    });
    await streamed.text();
    const predicted = await asked('/v1/models/iris:predict', {
      method: 'POST',
      body: JSON.stringify({ instances: [[6.8, 2.8, 4.8, 1.4]] }),
    });
    const malformed = await asked('/v1/chat/completions', {
      method: 'POST',
      body: '{',
    });
    const unknown = await asked('/nowhere');
    expect(
      [streamed, predicted, malformed, unknown].map(r => [
        r.status,
        r.headers.get('x-kube-sandbox-served-by'),
      ]),
    ).toEqual([
      [200, destination],
      [200, destination],
      [400, destination],
      [404, destination],
    ]);
  });

  it('adds nothing to a request sent straight to the server', async () => {
    const response = await post('/v1/chat/completions', chat);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-kube-sandbox-served-by')).toBeNull();
  });
});
