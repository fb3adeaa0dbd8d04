import {
  JwksServer,
  TestKey,
  generateTestKey,
  startJwksServer,
} from '../__testUtils__/jwtIssuer';
import { RemoteJwksCache } from './remoteJwks';

const URI = 'https://idp.example.svc.cluster.local/jwks';

describe('remote JWKS with async fetch', () => {
  let server: JwksServer;
  let now: number;
  let cache: RemoteJwksCache;
  const first: TestKey = generateTestKey('RS256', 'first');
  const second: TestKey = generateTestKey('RS256', 'second');
  const settings = {
    uri: URI,
    cacheDurationMs: 60_000,
    failedRefetchMs: 1000,
  };
  const kids = async () =>
    (await cache.keys(settings))?.map(k => k.kid).join(',');

  beforeEach(async () => {
    server = await startJwksServer([first]);
    now = 1_000_000;
    cache = new RemoteJwksCache({
      clock: () => now,
      resolveJwks: uri => (uri === URI ? server.url : undefined),
    });
  });
  afterEach(() => server.close());

  it('fetches once, then refreshes 5 s before the cache duration ends', async () => {
    expect(await kids()).toBe('first');
    server.setKeys([second]);
    now += 54_999;
    expect(await kids()).toBe('first');
    expect(server.fetches).toBe(1);
    now += 1;
    expect(await kids()).toBe('second');
    expect(server.fetches).toBe(2);
  });

  it('keeps the keys when a refresh fails and retries after failedRefetchDuration', async () => {
    expect(await kids()).toBe('first');
    server.failWith(503);
    now += 55_000;
    expect(await kids()).toBe('first');
    expect(server.fetches).toBe(2);
    now += 999;
    expect(await kids()).toBe('first');
    expect(server.fetches).toBe(2);
    server.failWith(undefined);
    server.setKeys([second]);
    now += 1;
    expect(await kids()).toBe('second');
  });

  it('has no keys while every fetch fails, fetching for each request', async () => {
    server.failWith(500);
    expect(await cache.keys(settings)).toBeUndefined();
    expect(await cache.keys(settings)).toBeUndefined();
    expect(server.fetches).toBe(2);
  });

  it('treats an empty body or a set without a valid key as a failure', async () => {
    server.setKeys([]);
    expect(await cache.keys(settings)).toBeUndefined();
  });

  it('fetches an unmapped URI never (resolveJwks gives undefined)', async () => {
    expect(
      await cache.keys({ ...settings, uri: 'https://elsewhere/jwks' }),
    ).toBeUndefined();
    expect(server.fetches).toBe(0);
  });

  it('shares one fetch among concurrent requests', async () => {
    const all = await Promise.all([kids(), kids(), kids()]);
    expect(all).toEqual(['first', 'first', 'first']);
    expect(server.fetches).toBe(1);
  });
});
