import { KubeObject } from '../models/types';
import { buildPublicationObjects } from './build/buildPublicationObjects';
import { HIDDEN, planChanges, setsOnlySameValues } from './planChanges';
import { apiKeys, openAiInput } from './build/publicationInputs.fixtures';

const desired = buildPublicationObjects(openAiInput());

/** What a server returns for an applied object: server metadata, status, kubectl's annotation. */
function asStored(obj: KubeObject, index: number): KubeObject {
  const stored = structuredClone(obj);
  stored.metadata = {
    ...stored.metadata,
    uid: `uid-${index}`,
    resourceVersion: String(1000 + index),
    generation: 3,
    creationTimestamp: '2026-11-20T10:00:00Z',
    managedFields: [{ manager: 'inference-portal', operation: 'Apply' }],
    annotations: {
      ...stored.metadata.annotations,
      'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(obj),
    },
  };
  stored.status = { conditions: [{ type: 'Accepted', status: 'True' }] };
  return stored;
}

const stored = desired.map(asStored);

function secretLeaks(value: unknown): string[] {
  const text = JSON.stringify(value);
  const secret = desired.find(o => o.kind === 'Secret')!;
  const encoded = Object.values(secret.data as Record<string, string>);
  return [...apiKeys.map(k => k.value), ...encoded].filter(v =>
    text.includes(v),
  );
}

describe('planChanges', () => {
  it('creates everything on an empty cluster, listing each field', () => {
    const plan = planChanges([], desired);
    expect(plan.map(c => [c.action, c.kind, c.name])).toEqual(
      desired.map(o => ['create', o.kind, o.metadata.name]),
    );
    const route = plan.find(c => c.kind === 'AIGatewayRoute')!;
    expect(route.namespace).toBe('tenant-b');
    expect(route.fieldChanges).toContainEqual({
      path: 'spec.rules.0.matches.0.headers.0.value',
      after: 'llama-3.1-8b',
    });
    expect(route.fieldChanges).toContainEqual({
      path: 'metadata.labels["inference.platform.io/publication"]',
      after: 'llama31-8b',
    });
    expect(route.fieldChanges.every(c => !('before' in c))).toBe(true);
  });

  it('reports unchanged when the cluster holds the same objects plus server fields', () => {
    const plan = planChanges(stored, desired);
    expect(plan.map(c => c.action)).toEqual(desired.map(() => 'unchanged'));
    expect(plan.every(c => c.fieldChanges.length === 0)).toBe(true);
  });

  it('treats a field set to undefined as a field not set, on either side', () => {
    const route = desired.find(o => o.kind === 'AIGatewayRoute')!;
    const withUndefined = {
      ...route,
      spec: { ...(route.spec as object), unsetField: undefined },
    };
    expect(planChanges([withUndefined], [route])[0].action).toBe('unchanged');
    expect(planChanges([route], [withUndefined])[0].action).toBe('unchanged');
    const withValue = {
      ...route,
      spec: { ...(route.spec as object), unsetField: 0 },
    };
    expect(planChanges([route], [withValue])[0].action).toBe('update');
    expect(planChanges([withValue], [route])[0].action).toBe('update');
  });

  it('matches objects across versions of the same API group', () => {
    const older = stored.map(o =>
      o.kind === 'AIGatewayRoute'
        ? { ...o, apiVersion: 'aigateway.envoyproxy.io/v1alpha1' }
        : o,
    );
    expect(
      planChanges(older, desired).find(c => c.kind === 'AIGatewayRoute')!
        .action,
    ).toBe('unchanged');
  });

  it('shows per-field updates, including fields that go away', () => {
    const next = buildPublicationObjects(
      openAiInput({
        request: {
          ...openAiInput().request,
          publicModelName: 'llama31-8b',
          limits: {
            requestsPerMinute: 30,
            requestsPerHour: 3600,
            tokensPerHour: 100000,
          },
        },
      }),
    );
    const plan = planChanges(stored, next);
    const traffic = plan.find(c => c.kind === 'BackendTrafficPolicy')!;
    expect(traffic.action).toBe('update');
    expect(traffic.fieldChanges).toEqual([
      {
        path: 'spec.rateLimit.global.rules.0.limit.requests',
        before: 60,
        after: 30,
      },
    ]);
    const route = plan.find(c => c.kind === 'AIGatewayRoute')!;
    expect(route.fieldChanges).toEqual(
      expect.arrayContaining([
        {
          path: 'spec.rules.0.matches.0.headers.0.value',
          before: 'llama-3.1-8b',
          after: 'llama31-8b',
        },
        // The public name now equals the served name: the override is dropped.
        {
          path: 'spec.rules.0.backendRefs.0.modelNameOverride',
          before: 'llama31-8b',
        },
      ]),
    );
    expect(plan.find(c => c.kind === 'Backend')!.action).toBe('unchanged');
  });

  it('deletes what the publication no longer needs, after the rest, in reverse order', () => {
    const next = buildPublicationObjects(
      openAiInput({ request: { ...openAiInput().request, limits: {} } }),
    );
    const plan = planChanges(stored, next);
    expect(plan[plan.length - 1]).toMatchObject({
      action: 'delete',
      kind: 'BackendTrafficPolicy',
      name: 'llama31-8b-rate-limits',
    });
    expect(plan.filter(c => c.action === 'delete')).toHaveLength(1);
    const removed = plan[plan.length - 1].fieldChanges;
    expect(removed).toContainEqual({
      path: 'spec.rateLimit.global.rules.0.limit.requests',
      before: 60,
    });
    expect(removed.some(c => c.path.startsWith('status'))).toBe(false);
  });

  it('plans the deletion of every object when nothing is desired (unpublish)', () => {
    const plan = planChanges(stored, []);
    expect(plan.map(c => c.kind)).toEqual(desired.map(o => o.kind).reverse());
    expect(plan.every(c => c.action === 'delete')).toBe(true);
  });

  describe('with apply patches as desired objects', () => {
    /** The cluster copy has CRD defaults and fields of other managers that the patch lacks. */
    const defaulted = stored.map(obj => {
      const copy = structuredClone(obj);
      if (copy.kind === 'AIGatewayRoute') {
        const spec = copy.spec as any;
        spec.rules[0].backendRefs[0].weight = 1;
        spec.rules[0].backendRefs[0].priority = 0;
        spec.rules[0].modelsOwnedBy = 'Envoy AI Gateway';
        copy.metadata.annotations!['other.example.com/note'] = 'kept';
      }
      return copy;
    });

    it('reports unchanged for a re-apply of the same input', () => {
      expect(
        planChanges(defaulted, desired, { desired: 'applied' }).map(
          c => c.action,
        ),
      ).toEqual(desired.map(() => 'unchanged'));
    });

    it('reports those fields as removed when desired is taken as stored', () => {
      const route = planChanges(defaulted, desired).find(
        c => c.kind === 'AIGatewayRoute',
      )!;
      expect(route.fieldChanges).toContainEqual({
        path: 'spec.rules.0.backendRefs.0.weight',
        before: 1,
      });
    });

    it('still reports changed values and shorter lists', () => {
      const next = buildPublicationObjects(
        openAiInput({
          request: {
            ...openAiInput().request,
            limits: { requestsPerMinute: 5 },
          },
        }),
      );
      const traffic = planChanges(defaulted, next, { desired: 'applied' }).find(
        c => c.kind === 'BackendTrafficPolicy',
      )!;
      expect(traffic.fieldChanges).toEqual(
        expect.arrayContaining([
          {
            path: 'spec.rateLimit.global.rules.0.limit.requests',
            before: 60,
            after: 5,
          },
          {
            path: 'spec.rateLimit.global.rules.1.limit.requests',
            before: 3600,
          },
        ]),
      );
    });
  });

  describe('Secrets', () => {
    const rotated = buildPublicationObjects(
      openAiInput({
        apiKeys: [
          apiKeys[1],
          {
            id: 'ci-new1',
            name: 'ci',
            value: 'sk-inf-newnewnewnewnewnewnewnewnewnewnewnewnew',
            createdAt: '2026-11-22T10:00:00.000Z',
          },
        ],
      }),
    );

    it('never returns key values, on create, update or delete', () => {
      const plans = [
        planChanges([], desired),
        planChanges(stored, rotated),
        planChanges(stored, []),
      ];
      for (const plan of plans) {
        expect(secretLeaks(plan)).toEqual([]);
        expect(JSON.stringify(plan)).not.toContain('sk-inf-');
      }
    });

    it('shows which keys change, with their values hidden', () => {
      const secret = planChanges(stored, rotated).find(
        c => c.kind === 'Secret',
      )!;
      expect(secret.action).toBe('update');
      expect(secret.fieldChanges).toEqual(
        expect.arrayContaining([
          { path: 'data.ci-7k2p', before: HIDDEN },
          { path: 'data.ci-new1', after: HIDDEN },
        ]),
      );
      expect(secret.fieldChanges.map(c => c.path)).not.toContain(
        'data.laptop-9x4q',
      );
    });

    it('hides a whole data map that appears or changes type', () => {
      const withoutData = { ...stored[0] };
      delete withoutData.data;
      withoutData.data = {};
      const secret = planChanges([withoutData], [desired[0]])[0];
      expect(
        secret.fieldChanges.filter(c => c.path.startsWith('data')),
      ).toEqual([
        { path: 'data.ci-7k2p', after: HIDDEN },
        { path: 'data.laptop-9x4q', after: HIDDEN },
      ]);
    });
  });
});

describe('setsOnlySameValues', () => {
  /** A small seeded generator, so that a failure names a case that can be run again. */
  function random(seed: number) {
    let state = seed;
    const next = () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)];
    return { next, pick };
  }
  type Rng = ReturnType<typeof random>;

  /** A JSON-like value over a few keys and leaves, so that two values often share parts. */
  function value(rng: Rng, depth: number): unknown {
    const roll = rng.next();
    if (depth <= 0 || roll < 0.35) return rng.pick([1, 2, 'a', 'b', true]);
    if (roll < 0.45) return rng.pick([undefined, null, {}, []]);
    if (roll < 0.7)
      return Array.from({ length: Math.floor(rng.next() * 3) }, () =>
        value(rng, depth - 1),
      );
    const map: Record<string, unknown> = {};
    for (const key of ['p', 'q', 'r']) {
      if (rng.next() < 0.6) map[key] = value(rng, depth - 1);
    }
    return map;
  }

  /** `of` as an apply patch might set it: fields left out or set to undefined, some changed. */
  function patchOf(rng: Rng, of: unknown, depth: number): unknown {
    const roll = rng.next();
    if (roll < 0.08) return value(rng, depth);
    if (roll < 0.12) return undefined;
    if (Array.isArray(of)) {
      const items = of.map(item => patchOf(rng, item, depth - 1));
      return rng.next() < 0.1 ? items.slice(1) : items;
    }
    if (typeof of === 'object' && of !== null) {
      const patch: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(of)) {
        if (rng.next() < 0.75) patch[key] = patchOf(rng, child, depth - 1);
      }
      if (rng.next() < 0.1) patch.s = value(rng, depth - 1);
      return patch;
    }
    return of;
  }

  const asObject = (spec: unknown, data?: unknown): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'config', namespace: 'tenant-a' },
    ...(spec !== undefined ? { spec } : {}),
    ...(data !== undefined ? { data } : {}),
  });

  it('decides as planChanges with desired "applied" does, on thousands of pairs', () => {
    const rng = random(20261204);
    const outcomes = { same: 0, different: 0 };
    for (let i = 0; i < 5000; i++) {
      const live = asObject(value(rng, 4), value(rng, 2));
      const patch = asObject(
        patchOf(rng, live.spec, 4),
        patchOf(rng, live.data, 2),
      );
      const [plan] = planChanges([live], [patch], { desired: 'applied' });
      const expected = plan.action === 'unchanged';
      expect({ case: i, same: setsOnlySameValues(live, patch) }).toEqual({
        case: i,
        same: expected,
      });
      outcomes[expected ? 'same' : 'different'] += 1;
    }
    // Both answers are exercised, many times each.
    expect(outcomes.same).toBeGreaterThan(500);
    expect(outcomes.different).toBeGreaterThan(500);
  });

  it('finds the publication objects a limit change leaves alone unchanged, and the one it changes', () => {
    const live = desired.map(asStored);
    const input = openAiInput();
    const changed = buildPublicationObjects({
      ...input,
      request: {
        ...input.request,
        limits: { ...input.request.limits, requestsPerMinute: 120 },
      },
    });
    const same = changed.map((o, i) => setsOnlySameValues(live[i], o));
    expect(same.filter(s => !s)).toHaveLength(1);
    expect(changed[same.indexOf(false)].kind).toBe('BackendTrafficPolicy');
    expect(setsOnlySameValues(live[0], live[1])).toBe(false);
  });
});
