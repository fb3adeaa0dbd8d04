// An API key is returned exactly once, by the call that creates it. It must not appear in any
// log line, list, history row, audit event, error body or other response.
import { mockServices } from '@backstage/backend-test-utils';
import type { InferenceTestBackend } from '../__testUtils__';
import {
  apiAs,
  apiKeyPublishRequest,
  irisSpec,
  startPluginBackend,
  storedApiKeys,
} from '../__testUtils__';

jest.setTimeout(60_000);

const M = '/models/local/tenant-a/iris';

describe('API key secrecy', () => {
  let backend: InferenceTestBackend;
  const output: string[] = [];
  const restore: Array<() => void> = [];

  beforeAll(async () => {
    // Everything written to stdout, stderr or the console by the backend (logger and auditor).
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        output.push(String(chunk));
        return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      restore.push(() => (stream.write = write));
    }
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const spy = jest
        .spyOn(console, level)
        .mockImplementation(
          (...args) => void output.push(args.map(String).join(' ')),
        );
      restore.push(() => spy.mockRestore());
    }
    backend = await startPluginBackend({
      features: [mockServices.rootLogger.factory({ level: 'debug' })],
    });
  });
  afterAll(async () => {
    await backend?.stop();
    restore.forEach(r => r());
  });

  it('shows a key once and nowhere else', async () => {
    const api = apiAs(backend, 'dev-a');
    await api.createReadyModel('tenant-a', irisSpec());
    const responses: unknown[] = [];
    const keep = async (
      r:
        | Promise<{ body: unknown; headers: Record<string, string> }>
        | { body: unknown; headers: Record<string, string> },
    ) => {
      const response = await r;
      responses.push(response.body, response.headers);
      return response;
    };

    await keep(api.put(`${M}/publication`, apiKeyPublishRequest('iris')));
    const created = await api.post(`${M}/publication/keys`, { name: 'laptop' });
    const rotated = await api.post(
      `${M}/publication/keys/${created.body.id}/rotate`,
      { graceSeconds: 3600 },
    );
    const keys = [created.body.key as string, rotated.body.key as string];
    expect(keys.every(k => typeof k === 'string' && k.length > 40)).toBe(true);

    await keep(api.get(`${M}/publication/keys`));
    await keep(api.get(`${M}/publication`));
    await keep(api.get(`${M}/history`));
    await keep(api.get('/models'));
    await keep(api.post(`${M}/publication/keys`, { name: 'laptop' })); // 409: name taken
    await keep(
      api.put(
        `${M}/publication?dryRun=true`,
        apiKeyPublishRequest('iris', { requestsPerMinute: 30 }),
      ),
    );
    await keep(
      api.post(`${M}/test`, {
        protocol: 'kserve-v1',
        target: 'gateway',
        body: { instances: [[1, 2, 3, 4]] },
      }),
    );
    await keep(api.post(`${M}/publication/drift-check`));
    // The agent actions, through the registry's invoke route (what the MCP backend calls).
    const model = { cluster: 'local', namespace: 'tenant-a', name: 'iris' };
    const agent = (name: string, input: object) =>
      keep(
        api.post(`/.backstage/actions/v2/actions/inference:${name}/invoke`, {
          input,
        }),
      );
    await agent('list-api-keys', { model });
    await agent('get-model', { model });
    await agent('list-models', {});
    await agent('plan-publish', {
      model,
      publication: apiKeyPublishRequest('iris', { requestsPerMinute: 30 }),
    });
    await agent('test-model', {
      model,
      request: {
        protocol: 'kserve-v1',
        target: 'gateway',
        body: { instances: [[1, 2, 3, 4]] },
      },
    });
    await keep(api.delete(`${M}/publication/keys/${created.body.id}`));
    await keep(api.delete(`${M}/publication?dryRun=true`));

    const everything = JSON.stringify(responses) + output.join('\n');
    expect(output.length).toBeGreaterThan(0); // the capture works: the backend did log
    for (const key of keys) {
      expect(everything).not.toContain(key);
      // Not even base64-encoded, as a Secret's data would carry it.
      expect(everything).not.toContain(Buffer.from(key).toString('base64'));
    }
    // The keys really are in the cluster, in the Secret only.
    expect(Object.values(storedApiKeys(backend, 'tenant-a', 'iris'))).toContain(
      keys[1],
    );
  });
});
