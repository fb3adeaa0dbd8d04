import type { InferenceTestBackend } from '../__testUtils__';
import { apiAs, startPluginBackend } from '../__testUtils__';
import { RateLimiter } from './rateCaps';

jest.setTimeout(60_000);

describe('RateLimiter', () => {
  it('allows a burst of `requests`, then refills over the window', () => {
    let now = 0;
    const limiter = new RateLimiter(
      { requests: 3, windowSeconds: 60 },
      () => now,
    );
    expect([1, 2, 3].map(() => limiter.take('user:default/a'))).toEqual([
      0, 0, 0,
    ]);
    // One token comes back every 20 s.
    expect(limiter.take('user:default/a')).toBe(20);
    now += 5_000;
    expect(limiter.take('user:default/a')).toBe(15);
    now += 15_000;
    expect(limiter.take('user:default/a')).toBe(0);
    expect(limiter.take('user:default/a')).toBe(20);
  });

  it('keeps one bucket per user', () => {
    const limiter = new RateLimiter(
      { requests: 1, windowSeconds: 10 },
      () => 0,
    );
    expect(limiter.take('user:default/a')).toBe(0);
    expect(limiter.take('user:default/a')).toBe(10);
    expect(limiter.take('user:default/b')).toBe(0);
  });

  it('forgets idle users once many are tracked', () => {
    let now = 0;
    const limiter = new RateLimiter(
      { requests: 1, windowSeconds: 1 },
      () => now,
    );
    for (let i = 0; i <= 10_000; i++) limiter.take(`user:default/u${i}`);
    now += 2_000;
    limiter.take('user:default/late');
    expect(limiter.size).toBe(1);
  });
});

describe('per-user rate caps on the API', () => {
  let backend: InferenceTestBackend;
  const test = { protocol: 'kserve-v1', body: { instances: [[1, 2, 3, 4]] } };

  beforeAll(async () => {
    backend = await startPluginBackend({
      config: {
        rateCaps: {
          testInvocations: { requests: 2, windowSeconds: 60 },
          mutations: { requests: 3, windowSeconds: 60 },
        },
      },
    });
  });
  afterAll(() => backend?.stop());

  it('answers 429 with Retry-After once a user spent the test-invocation cap; others still pass', async () => {
    const devA = apiAs(backend, 'dev-a');
    const path = '/models/local/tenant-a/nothing-here/test';
    for (let i = 0; i < 2; i++) {
      expect((await devA.post(path, test)).status).not.toBe(429);
    }
    const refused = await devA.post(path, test);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(30);
    expect(refused.body.error).toEqual({
      name: 'TooManyRequestsError',
      message: expect.stringMatching(/test invocation/),
    });
    // Another user has a bucket of their own; reads are never capped.
    expect(
      (await apiAs(backend, 'dev-b').post(path.replace('-a', '-b'), test))
        .status,
    ).not.toBe(429);
    expect((await devA.get('/models')).status).toBe(200);
  });

  it('caps writes per user, separately from test invocations', async () => {
    const devC = apiAs(backend, 'dev-c');
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await devC.delete('/models/local/tenant-c/nothing-here')).status,
      );
    }
    expect(statuses.slice(0, 3)).not.toContain(429);
    expect(statuses[3]).toBe(429);
    expect(
      (await devC.post('/models/local/tenant-c/nothing-here/test', test))
        .status,
    ).not.toBe(429);
  });
});
