// A key past its grace period still works until the expiry task removes it from the Secret, so it
// is listed (marked expired), never hidden; and a publication holds at most a configured number of
// keys.
import { ConfigReader } from '@backstage/config';
import type { InferenceTestBackend } from '../__testUtils__';
import {
  apiAs,
  apiKeyPublishRequest,
  irisSpec,
  startPluginBackend,
  storedApiKeys,
} from '../__testUtils__';
import { readInferenceConfig } from '../config';

jest.setTimeout(60_000);

const publish = apiKeyPublishRequest('m', {});

describe('API key states and the cap', () => {
  let backend: InferenceTestBackend;
  let devA: ReturnType<typeof apiAs>;

  beforeAll(async () => {
    backend = await startPluginBackend({
      config: { publishing: { maxKeysPerPublication: 3 } },
    });
    devA = apiAs(backend, 'dev-a');
  });
  afterAll(() => backend?.stop());

  async function published(name: string) {
    await devA.createReadyModel('tenant-a', irisSpec(name));
    const base = `/models/local/tenant-a/${name}/publication`;
    expect(
      (await devA.put(base, { ...publish, publicModelName: name })).status,
    ).toBe(200);
    return base;
  }

  it('lists a key past its expiry that is still in the Secret as expired, in the key list and the publication', async () => {
    const base = await published('exp');
    const old = await devA.post(`${base}/keys`, { name: 'ci' });
    const next = await devA.post(`${base}/keys/${old.body.id}/rotate`, {
      graceSeconds: 1,
    });
    const during = await devA.get(`${base}/keys`);
    expect(during.body.items).toEqual([
      expect.objectContaining({
        id: old.body.id,
        expiresAt: expect.any(String),
      }),
      expect.objectContaining({ id: next.body.id }),
    ]);
    expect(during.body.items[0].expired).toBeUndefined();

    await new Promise(r => setTimeout(r, 1100));
    // No expiry run yet: the old key is still in the Secret the gateway reads.
    expect(Object.keys(storedApiKeys(backend, 'tenant-a', 'exp'))).toContain(
      old.body.id,
    );

    const after = await devA.get(`${base}/keys`);
    expect(after.status).toBe(200);
    expect(after.body.items).toEqual([
      expect.objectContaining({ id: old.body.id, expired: true }),
      expect.objectContaining({ id: next.body.id }),
    ]);
    expect(after.body.items[1].expired).toBeUndefined();
    const publication = await devA.get(base);
    expect(publication.body.apiKeys).toEqual(after.body.items);

    // It can still be revoked by hand (it still works).
    expect((await devA.delete(`${base}/keys/${old.body.id}`)).status).toBe(204);
    expect(
      (await devA.get(`${base}/keys`)).body.items.map(
        (k: { id: string }) => k.id,
      ),
    ).toEqual([next.body.id]);
  });

  it('refuses a key beyond the configured cap with 409 and says why', async () => {
    const base = await published('cap');
    const ids: string[] = [];
    for (const name of ['one', 'two', 'three']) {
      const created = await devA.post(`${base}/keys`, { name });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const refused = await devA.post(`${base}/keys`, { name: 'four' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(
      /at most 3 are allowed \(inference\.publishing\.maxKeysPerPublication/,
    );
    // A rotation with a grace period would hold one more key: refused too; without, allowed.
    const rotated = await devA.post(`${base}/keys/${ids[0]}/rotate`, {
      graceSeconds: 60,
    });
    expect(rotated.status).toBe(409);
    expect(
      (await devA.post(`${base}/keys/${ids[0]}/rotate`, { graceSeconds: 0 }))
        .status,
    ).toBe(201);
    expect((await devA.get(`${base}/keys`)).body.items).toHaveLength(3);
    // Room again after a revoke.
    expect((await devA.delete(`${base}/keys/${ids[1]}`)).status).toBe(204);
    expect((await devA.post(`${base}/keys`, { name: 'four' })).status).toBe(
      201,
    );
  });
});

describe('inference.publishing.maxKeysPerPublication', () => {
  const read = (publishing: object) =>
    readInferenceConfig(new ConfigReader({ inference: { publishing } }))
      .publishing.maxKeysPerPublication;

  it('defaults to 20 and accepts a positive integer', () => {
    expect(read({})).toBe(20);
    expect(read({ maxKeysPerPublication: 5 })).toBe(5);
  });

  it('refuses zero, negative and fractional caps at start-up', () => {
    for (const bad of [0, -1, 2.5])
      expect(() => read({ maxKeysPerPublication: bad })).toThrow(
        /maxKeysPerPublication must be a positive integer/,
      );
  });
});
