// Bad input, route by route: each request gets a 4xx that names the offending field, and the
// cluster holds exactly what it held before (not one write: the global resourceVersion is unchanged).
import type { InferenceTestBackend } from '../__testUtils__';
import { apiAs, startPluginBackend } from '../__testUtils__';
import { CASES, M, publish, spec } from './__testUtils__/badInputCases';

jest.setTimeout(60_000);

describe('bad input', () => {
  let backend: InferenceTestBackend;
  let api: ReturnType<typeof apiAs>;
  let revision: string;

  beforeAll(async () => {
    backend = await startPluginBackend();
    api = apiAs(backend, 'dev-a');
    await api.createReadyModel('tenant-a', spec);
    const published = await api.put(`${M}/publication`, publish);
    if (published.status !== 200)
      throw new Error(`publish failed: ${JSON.stringify(published.body)}`);
    await new Promise(r => setTimeout(r, 300)); // simulated controllers finish their status writes
    revision = backend.sandbox.store.resourceVersion();
  });
  afterAll(() => backend?.stop());

  it(`has at least 30 cases (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)(
    '%s',
    async (_description, method, path, body, status, field) => {
      const response = await api[method](path, body);
      expect(response.status).toBe(status);
      const fields = (response.body.error.fields ?? []).map(
        (f: { field: string }) => f.field,
      );
      const named =
        fields.includes(field) ||
        String(response.body.error.message).includes(field);
      expect({
        named,
        fields,
        message: response.body.error.message,
      }).toMatchObject({ named: true });
      expect(backend.sandbox.store.resourceVersion()).toBe(revision);
    },
  );
});
