import { mockServices } from '@backstage/backend-test-utils';
import {
  ownershipLabels,
  ModelLocator,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type {
  ClusterClient,
  ClusterInformer,
  KubeObject,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { CACHED_KINDS, createPublicationCache } from './publicationCache';

/**
 * The cache's promise, without a cluster: a view only when the watch has certainly delivered the
 * publication's last change, and never while a watch is starting or broken. The end-to-end use
 * (a change planned from the watch, against the Kubernetes sandbox) is in publicationCacheUse.test.ts.
 */

const model: ModelLocator = {
  cluster: 'local',
  namespace: 'tenant-a',
  name: 'iris',
};

/** An informer the test drives: events, a start that waits for `list`, errors. */
class FakeInformer implements ClusterInformer {
  private handlers: Record<string, Array<(x: any) => void>> = {};
  private release?: () => void;
  started = 0;
  failStart?: Error;

  constructor(readonly kind: string) {}

  on(event: string, handler: (x: any) => void) {
    (this.handlers[event] ??= []).push(handler);
  }
  emit(event: 'add' | 'update' | 'delete' | 'error', value: unknown) {
    for (const h of this.handlers[event] ?? []) h(value);
  }
  start() {
    this.started += 1;
    if (this.failStart) {
      const error = this.failStart;
      this.emit('error', error);
      return Promise.reject(error);
    }
    return new Promise<void>(resolve => {
      this.release = resolve;
    });
  }
  /** The first list arrived. */
  listed() {
    this.release?.();
  }
  async stop() {}
  list() {
    return [];
  }
}

const flush = () => new Promise(resolve => setImmediate(resolve));

function setup() {
  const informers = new Map<string, FakeInformer>();
  const cluster = {
    informer: (_apiVersion: string, kind: string) => {
      const informer = new FakeInformer(kind);
      informers.set(kind, informer);
      return informer;
    },
  } as unknown as ClusterClient;
  const cache = createPublicationCache({
    clusters: {
      names: () => ['local'],
      defaultName: () => 'local',
      get: () => cluster,
    },
    logger: mockServices.logger.mock(),
  });
  const object = (kind: string, name: string, resourceVersion: string) =>
    ({
      apiVersion: 'v1',
      kind,
      metadata: {
        name,
        namespace: model.namespace,
        resourceVersion,
        labels: ownershipLabels({ tenant: 'tenant-a', model: 'iris' }),
      },
    } as KubeObject);
  const syncAll = async () => {
    for (const informer of informers.values()) informer.listed();
    await flush();
  };
  return { cache, informers, object, syncAll };
}

describe('publication cache', () => {
  it('gives no view for a publication without written versions, nor before every kind is listed', async () => {
    const { cache, informers, object, syncAll } = setup();
    expect(cache.view('tenant-a', model, undefined)).toBeUndefined();
    expect(informers.size).toBe(0); // nothing is watched for records without versions

    const written = { 'BackendTrafficPolicy/tenant-a/iris-rate-limits': '5' };
    expect(cache.view('tenant-a', model, written)).toBeUndefined();
    expect([...informers.keys()].sort()).toEqual(
      CACHED_KINDS.map(k => k.kind).sort(),
    );
    expect(informers.has('Secret')).toBe(false);
    informers
      .get('BackendTrafficPolicy')!
      .emit('add', object('BackendTrafficPolicy', 'iris-rate-limits', '5'));
    [...informers.values()][0].listed();
    await flush();
    expect(cache.view('tenant-a', model, written)).toBeUndefined();
    await syncAll();
    expect(cache.view('tenant-a', model, written)).toEqual([
      object('BackendTrafficPolicy', 'iris-rate-limits', '5'),
    ]);
    await cache.stop();
  });

  it('hands out its own objects frozen to the last field, so no caller can change what the next change plans with', async () => {
    const { cache, informers, object, syncAll } = setup();
    cache.view('tenant-a', model, {});
    const delivered = {
      ...object('BackendTrafficPolicy', 'iris-rate-limits', '5'),
      spec: { rateLimit: { rules: [{ limit: { requests: 60 } }] } },
    };
    informers.get('BackendTrafficPolicy')!.emit('add', delivered);
    await syncAll();
    const [viewed] = cache.view('tenant-a', model, {
      'BackendTrafficPolicy/tenant-a/iris-rate-limits': '5',
    })!;
    expect(viewed).toBe(delivered);
    const rule = (viewed.spec as any).rateLimit.rules[0];
    expect(() => {
      rule.limit.requests = 120;
    }).toThrow(TypeError);
    expect(() => {
      viewed.metadata.labels!.extra = 'x';
    }).toThrow(TypeError);
    expect(rule.limit.requests).toBe(60);
    await cache.stop();
  });

  it('gives a view only once the watch delivered every version the last change wrote, and later ones', async () => {
    const { cache, informers, object, syncAll } = setup();
    const btp = informers.get.bind(informers, 'BackendTrafficPolicy');
    cache.view('tenant-a', model, {});
    await syncAll();
    btp()!.emit('add', object('BackendTrafficPolicy', 'iris-rate-limits', '5'));

    // Another replica wrote version 9: not delivered yet, so the caller reads afresh.
    const written = { 'BackendTrafficPolicy/tenant-a/iris-rate-limits': '9' };
    expect(cache.view('tenant-a', model, written)).toBeUndefined();
    btp()!.emit(
      'update',
      object('BackendTrafficPolicy', 'iris-rate-limits', '9'),
    );
    // A controller's status write after it: the view has the newest object.
    btp()!.emit(
      'update',
      object('BackendTrafficPolicy', 'iris-rate-limits', '12'),
    );
    expect(cache.view('tenant-a', model, written)).toEqual([
      object('BackendTrafficPolicy', 'iris-rate-limits', '12'),
    ]);
    // Only this publication's objects, and never a controller-owned copy.
    const other = object('HTTPRoute', 'other', '3');
    other.metadata.labels = ownershipLabels({
      tenant: 'tenant-a',
      model: 'other',
    });
    informers.get('HTTPRoute')!.emit('add', other);
    const generated = object('HTTPRoute', 'iris', '4');
    generated.metadata.ownerReferences = [{ controller: true }];
    informers.get('HTTPRoute')!.emit('add', generated);
    expect(cache.view('tenant-a', model, written)).toHaveLength(1);
    await cache.stop();
  });

  it('gives no view while an object the last change deleted is still shown', async () => {
    const { cache, informers, object, syncAll } = setup();
    cache.view('tenant-a', model, {});
    await syncAll();
    const route = informers.get('HTTPRoute')!;
    route.emit('add', object('HTTPRoute', 'iris', '7'));
    const written = { 'HTTPRoute/tenant-a/iris': null };
    expect(cache.view('tenant-a', model, written)).toBeUndefined();
    route.emit('delete', object('HTTPRoute', 'iris', '8'));
    expect(cache.view('tenant-a', model, written)).toEqual([]);
    // Secrets are never in the cache, so the versions of a Secret are not asked for.
    expect(
      cache.view('tenant-a', model, {
        ...written,
        'Secret/tenant-a/iris-api-keys': '3',
      }),
    ).toEqual([]);
    await cache.stop();
  });

  it('gives no view after a watch ended, until it was started again', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const { cache, informers, object, syncAll } = setup();
      cache.view('tenant-a', model, {});
      await syncAll();
      const route = informers.get('HTTPRoute')!;
      route.emit('add', object('HTTPRoute', 'iris', '7'));
      const written = { 'HTTPRoute/tenant-a/iris': '7' };
      expect(cache.view('tenant-a', model, written)).toHaveLength(1);

      route.emit('error', new Error('watch closed: 410 Gone'));
      expect(cache.view('tenant-a', model, written)).toBeUndefined();
      expect(route.started).toBe(1);
      jest.advanceTimersByTime(1_000);
      expect(route.started).toBe(2);
      expect(cache.view('tenant-a', model, written)).toBeUndefined();
      route.listed();
      await flush();
      expect(cache.view('tenant-a', model, written)).toHaveLength(1);
      await cache.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps reading afresh while a watch is refused, retrying ever more slowly', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const informers: FakeInformer[] = [];
      const logger = mockServices.logger.mock();
      const cache = createPublicationCache({
        clusters: {
          names: () => ['local'],
          defaultName: () => 'local',
          get: () =>
            ({
              informer: (_: string, kind: string) => {
                const informer = new FakeInformer(kind);
                informer.failStart = new Error('403 Forbidden');
                informers.push(informer);
                return informer;
              },
            } as unknown as ClusterClient),
        },
        logger,
      });
      expect(cache.view('tenant-a', model, {})).toBeUndefined();
      await flush();
      const route = informers.find(i => i.kind === 'HTTPRoute')!;
      expect(route.started).toBe(1);
      jest.advanceTimersByTime(1_000);
      expect(route.started).toBe(2);
      await flush();
      jest.advanceTimersByTime(1_000);
      expect(route.started).toBe(2); // now 2 s
      jest.advanceTimersByTime(1_000);
      expect(route.started).toBe(3);
      expect(cache.view('tenant-a', model, {})).toBeUndefined();
      // Said once as a warning, then quietly.
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(String(logger.warn.mock.calls[0][0])).toMatch(/403 Forbidden/);
      await cache.stop();
      jest.advanceTimersByTime(120_000);
      expect(route.started).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('reads afresh for a cluster client without watches', () => {
    const cache = createPublicationCache({
      clusters: {
        names: () => ['local'],
        defaultName: () => 'local',
        get: () => ({} as ClusterClient),
      },
      logger: mockServices.logger.mock(),
    });
    expect(cache.view('tenant-a', model, {})).toBeUndefined();
  });
});
