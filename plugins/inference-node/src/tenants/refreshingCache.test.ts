import { createRefreshingCache } from './refreshingCache';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('createRefreshingCache', () => {
  it('reads once for concurrent callers, then answers from the cache', async () => {
    const read = jest.fn(async () => 'v1');
    const cache = createRefreshingCache(read, { maxAgeMs: 10_000 });
    expect(await Promise.all([cache.get(), cache.get()])).toEqual(['v1', 'v1']);
    expect(await cache.get()).toBe('v1');
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('refreshes in the background while in use, so callers do not wait for a read', async () => {
    let version = 0;
    const read = jest.fn(async () => `v${++version}`);
    const cache = createRefreshingCache(read, {
      maxAgeMs: 400,
      refreshEveryMs: 50,
    });
    expect(await cache.get()).toBe('v1');
    await sleep(180);
    // Read again by the timer meanwhile: a newer value, answered at once.
    const value = await cache.get();
    expect(value).not.toBe('v1');
    expect(read.mock.calls.length).toBeGreaterThan(1);
  });

  it('never answers a value older than maxAgeMs: a failing refresh makes callers wait and fail', async () => {
    let fail = false;
    const read = jest.fn(async () => {
      if (fail) throw new Error('catalog down');
      return 'v';
    });
    const cache = createRefreshingCache(read, {
      maxAgeMs: 100,
      refreshEveryMs: 20,
    });
    expect(await cache.get()).toBe('v');
    fail = true;
    await sleep(150);
    await expect(cache.get()).rejects.toThrow('catalog down');
    fail = false;
    expect(await cache.get()).toBe('v');
  });

  it('does not cache a failed read', async () => {
    const read = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValue('v');
    const cache = createRefreshingCache(read, { maxAgeMs: 10_000 });
    await expect(cache.get()).rejects.toThrow('down');
    expect(await cache.get()).toBe('v');
  });

  it('reads afresh after invalidate, ignoring a read that started before it', async () => {
    let version = 0;
    let release: () => void = () => {};
    const read = jest.fn(async () => {
      const mine = ++version;
      if (mine === 1) await new Promise<void>(r => (release = r));
      return `v${mine}`;
    });
    const cache = createRefreshingCache(read, { maxAgeMs: 10_000 });
    const first = cache.get();
    cache.invalidate();
    expect(await cache.get()).toBe('v2');
    release();
    expect(await first).toBe('v1');
    expect(await cache.get()).toBe('v2');
  });

  it('stops its timer when nobody asks', async () => {
    const read = jest.fn(async () => 'v');
    const cache = createRefreshingCache(read, {
      maxAgeMs: 100,
      refreshEveryMs: 10,
      idleAfterMs: 30,
    });
    await cache.get();
    await sleep(120);
    const calls = read.mock.calls.length;
    await sleep(80);
    expect(read.mock.calls.length).toBe(calls);
  });
});
