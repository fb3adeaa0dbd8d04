import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { invoke, parseSseData } from './invoke';
import { invocationPath } from './requestPaths';

let server: http.Server;
let baseUrl: string;
const seen: {
  method?: string;
  url?: string;
  headers?: http.IncomingHttpHeaders;
  body?: string;
}[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', () => {
      seen.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body,
      });
      if (
        req.url?.endsWith('/v1/chat/completions') &&
        JSON.parse(body).stream
      ) {
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'set-cookie': 'a=b',
        });
        res.write('data: {"choices":[{"delta":{"content":"Hel"}}]}\n\n');
        res.write(
          'data: {"choices":[{"delta":{"content":"lo"}}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}\n\n',
        );
        res.end('data: [DONE]\n\n');
      } else if (req.url?.includes('/redirect')) {
        res.writeHead(302, { location: '/elsewhere' });
        res.end();
      } else if (req.url?.includes('/slow')) {
        setTimeout(() => res.end('{}'), 500);
      } else if (req.url?.includes('/big')) {
        res.end('x'.repeat(4096));
      } else {
        res.writeHead(200, {
          'content-type': 'application/json',
          'x-request-id': 'r1',
          'www-authenticate': 'secret',
        });
        res.end(
          JSON.stringify({
            predictions: [1, 1],
            usage: { prompt_tokens: 1, total_tokens: 1 },
          }),
        );
      }
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`;
});
afterAll(() => new Promise(r => server.close(r)));

describe('invoke', () => {
  it('posts JSON to the base URL plus the protocol path and reports status, latency, headers and usage', async () => {
    const target = invocationPath({
      protocol: 'kserve-v1',
      modelType: 'predictive',
      model: 'iris',
      gatewayPrefix: '/models/tenant-a/iris',
    });
    const result = await invoke({
      baseUrl,
      target,
      headers: { 'x-api-key': 'k' },
      body: { instances: [[1, 2, 3, 4]] },
    });
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      url: '/base/models/tenant-a/iris/v1/models/iris:predict',
    });
    expect(seen.at(-1)?.headers?.['x-api-key']).toBe('k');
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      predictions: [1, 1],
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
    expect(result.usage).toEqual({
      promptTokens: 1,
      completionTokens: undefined,
      totalTokens: 1,
    });
    expect(result.headers).toEqual(
      expect.objectContaining({ 'x-request-id': 'r1' }),
    );
    expect(result.headers['www-authenticate']).toBeUndefined();
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it('sends the Host it is given, not the dialled address (gateway listeners match on it)', async () => {
    await invoke({
      baseUrl,
      target: invocationPath({
        protocol: 'kserve-v1',
        modelType: 'predictive',
        model: 'iris',
        gatewayPrefix: '/models/tenant-a/iris',
      }),
      headers: { host: 'api.router.inference-in-a-box', 'x-api-key': 'k' },
      body: {},
    });
    expect(seen.at(-1)?.headers?.host).toBe('api.router.inference-in-a-box');
  });

  it('shows a redirect instead of following it', async () => {
    const result = await invoke({
      baseUrl,
      target: { method: 'GET', path: '/redirect' },
      headers: {},
    });
    expect(result.status).toBe(302);
    expect(seen.at(-1)?.url).toBe('/base/redirect');
  });

  it('collects a streamed chat completion as chunks with the final usage', async () => {
    const target = invocationPath({
      protocol: 'openai-chat',
      modelType: 'openai',
      model: 'qwen',
    });
    const result = await invoke({
      baseUrl,
      target,
      headers: {},
      body: { stream: true, messages: [] },
      stream: true,
    });
    expect(result.chunks).toHaveLength(3);
    expect(result.chunks?.[2]).toBe('[DONE]');
    expect(result.usage).toEqual({
      promptTokens: 3,
      completionTokens: 2,
      totalTokens: 5,
    });
    expect(result.headers['set-cookie']).toBeUndefined();
  });

  it('gives up after the time limit with a 503 that says so', async () => {
    await expect(
      invoke({
        baseUrl,
        target: { method: 'GET', path: '/slow' },
        headers: {},
        limits: { timeoutMs: 100, maxResponseBytes: 1000 },
      }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining('100 ms'),
    });
  });

  it('refuses responses over the size limit', async () => {
    await expect(
      invoke({
        baseUrl,
        target: { method: 'GET', path: '/big' },
        headers: {},
        limits: { timeoutMs: 1000, maxResponseBytes: 1000 },
      }),
    ).rejects.toMatchObject({ message: expect.stringContaining('1000 bytes') });
  });
});

describe('invocationPath', () => {
  it('refuses protocols the model type cannot serve', () => {
    expect(() =>
      invocationPath({
        protocol: 'openai-chat',
        modelType: 'predictive',
        model: 'm',
      }),
    ).toThrow(/predictive/);
    expect(() =>
      invocationPath({
        protocol: 'kserve-v2',
        modelType: 'openai',
        model: 'm',
      }),
    ).toThrow(/OpenAI/);
  });
  it('builds v2 and in-cluster OpenAI paths', () => {
    expect(
      invocationPath({
        protocol: 'kserve-v2',
        modelType: 'predictive',
        model: 'm',
      }),
    ).toEqual({ method: 'POST', path: '/v2/models/m/infer' });
    expect(
      invocationPath({
        protocol: 'openai-models',
        modelType: 'openai',
        model: 'm',
        openaiPrefix: '/openai',
      }),
    ).toEqual({ method: 'GET', path: '/openai/v1/models' });
  });
});

describe('parseSseData', () => {
  it('keeps data lines of each event and ignores comments and blank events', () => {
    expect(parseSseData(': ping\n\ndata: a\n\ndata: b\r\n\r\n\n')).toEqual([
      'a',
      'b',
    ]);
  });
});
