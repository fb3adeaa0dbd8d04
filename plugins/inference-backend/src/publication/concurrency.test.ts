// Concurrent changes to one publication must serialize: 50 mixed key and publication operations on
// one model, through the HTTP API, must leave the cluster in a state that some serial order of the
// acknowledged operations would have produced. The checks below are the consequences of "some
// serial order" that can be verified from the outside (key ids are random, so a key can only come
// back into the Secret if a stale read was written back).
import {
  LABEL_MANAGED_BY,
  LABEL_MODEL,
  MANAGED_BY_PORTAL,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { PUBLICATION_KINDS } from '@inference-in-a-box/backstage-plugin-inference-node';
import { keysFromSecret } from '../apiKeys/apiKeys';
import type { InferenceTestBackend } from '../__testUtils__';
import {
  apiAs,
  apiKeyPublishRequest,
  irisSpec,
  startPluginBackend,
} from '../__testUtils__';

jest.setTimeout(120_000);

const base = '/models/local/tenant-a/iris/publication';
const publishIris = apiKeyPublishRequest('iris');

type Op =
  | { kind: 'create'; name: string }
  | { kind: 'rotate'; target: string }
  | { kind: 'revoke'; target: string }
  | { kind: 'publish' }
  | { kind: 'unpublish' };

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

interface Outcome {
  op: Op;
  start: number;
  end: number;
  status: number;
  body: any;
}

describe('concurrent changes to one publication', () => {
  let backend: InferenceTestBackend;
  let devA: ReturnType<typeof apiAs>;

  beforeAll(async () => {
    // 50 requests at once each read a dozen object kinds: a busy machine needs more than the
    // helper's 2 s per Kubernetes request.
    backend = await startPluginBackend({
      config: { kubernetes: { requestTimeoutMs: 30_000, maxAttempts: 3 } },
    });
    devA = apiAs(backend, 'dev-a');
    await devA.createReadyModel('tenant-a', irisSpec());
  });
  afterAll(() => backend?.stop());

  /** The publication's objects in the sandbox, and the keys of its Secret. */
  const clusterState = () => {
    const objects = PUBLICATION_KINDS.flatMap(({ apiVersion, kind }) =>
      backend.sandbox.store
        .list(apiVersion, kind)
        .filter(
          o =>
            o.metadata.labels?.[LABEL_MANAGED_BY] === MANAGED_BY_PORTAL &&
            o.metadata.labels?.[LABEL_MODEL] === 'iris',
        ),
    );
    const secret = objects.find(o => o.kind === 'Secret') as any;
    return { objects, secret, keys: keysFromSecret(secret) };
  };

  it('ends in a state equal to some serial order of the acknowledged operations', async () => {
    expect((await devA.put(base, publishIris)).status).toBe(200);
    const initial: string[] = [];
    for (let i = 0; i < 6; i++) {
      const created = await devA.post(`${base}/keys`, { name: `k0-${i}` });
      expect(created.status).toBe(201);
      initial.push(created.body.id);
    }

    // 16 creates, 10 revokes, 8 rotates (grace 0: the old key goes at once), 14 publishes, 2
    // unpublishes; the removals target the initial keys, several of them twice.
    const ops: Op[] = [];
    for (let i = 0; i < 50; i++) {
      if (i === 38 || i === 44) ops.push({ kind: 'unpublish' });
      else if (i % 5 === 0 || i === 41 || i === 47)
        ops.push({ kind: 'publish' });
      else if (i % 5 === 1 || i % 5 === 3)
        ops.push(
          ops.filter(o => o.kind === 'create').length < 16
            ? { kind: 'create', name: `c-${i}` }
            : { kind: 'publish' },
        );
      else if (i % 5 === 2)
        ops.push({ kind: 'revoke', target: initial[i % 6] });
      else ops.push({ kind: 'rotate', target: initial[(i + 3) % 6] });
    }
    expect(ops).toHaveLength(50);

    const t0 = Date.now();
    const run = async (op: Op): Promise<Outcome> => {
      const start = Date.now() - t0;
      let res;
      switch (op.kind) {
        case 'create':
          res = await devA.post(`${base}/keys`, { name: op.name });
          break;
        case 'rotate':
          res = await devA.post(`${base}/keys/${op.target}/rotate`, {
            graceSeconds: 0,
          });
          break;
        case 'revoke':
          res = await devA.delete(`${base}/keys/${op.target}`);
          break;
        case 'publish':
          res = await devA.put(base, publishIris);
          break;
        default:
          res = await devA.delete(base);
      }
      return {
        op,
        start,
        end: Date.now() - t0,
        status: res.status,
        body: res.body,
      };
    };
    // All in flight together; started 10 ms apart, because 50 requests at the same instant (each
    // reading a dozen object kinds) overrun the sandbox's listener before any code of ours runs.
    const outcomes = await Promise.all(
      ops.map((op, i) => sleep(i * 10).then(() => run(op))),
    );

    // Every answer is one a serial execution could give (404: not published / no such key).
    const allowed: Record<Op['kind'], number[]> = {
      create: [201, 404],
      rotate: [201, 404],
      revoke: [204, 404],
      publish: [200],
      unpublish: [200, 404],
    };
    const unexpected = outcomes
      .filter(o => !allowed[o.op.kind].includes(o.status))
      .map(
        o =>
          `${o.op.kind}: ${o.status} ${String(o.body?.error?.message).slice(
            0,
            80,
          )}`,
      );

    const ok = (kind: Op['kind']) =>
      outcomes.filter(o => o.op.kind === kind && o.status < 300);
    const state = clusterState();
    const inSecret = new Set(state.keys.map(k => k.id));
    // Every way the end state contradicts all serial orders, collected so a failure shows them all.
    const violations: string[] = [];

    // A key is removed at most once: two acknowledged removals of the same key cannot be serial.
    const removals = [...ok('revoke'), ...ok('rotate')];
    const targetOf = (o: Outcome) => (o.op as { target: string }).target;
    for (const id of initial) {
      const n = removals.filter(o => targetOf(o) === id).length;
      if (n > 1) violations.push(`${id} removed ${n} times`);
    }
    // No revoked (or rotated-away) key is valid.
    for (const o of removals)
      if (inSecret.has(targetOf(o)))
        violations.push(`${o.op.kind}d key ${targetOf(o)} still valid`);

    // Nothing in the Secret that no acknowledged operation created.
    const created = new Map<string, Outcome>(
      [...ok('create'), ...ok('rotate')].map(o => [o.body.id as string, o]),
    );
    for (const id of inSecret)
      if (!initial.includes(id) && !created.has(id))
        violations.push(
          `${id} in the Secret, not created by any acknowledged call`,
        );

    // No acknowledged key missing unless an acknowledged unpublish can be ordered after it.
    const unpublishes = ok('unpublish');
    for (const o of created.values())
      if (!inSecret.has(o.body.id) && !unpublishes.some(u => u.end > o.start))
        violations.push(`acknowledged key ${o.body.id} (${o.op.kind}) lost`);

    // Every key still there was created after each acknowledged unpublish could have run (the
    // initial keys were created before any of them): else an unpublish was undone.
    for (const id of inSecret)
      if (
        unpublishes.some(
          u => !created.has(id) || created.get(id)!.end < u.start,
        )
      )
        violations.push(`key ${id} survived an acknowledged unpublish`);

    expect({ unexpected, violations }).toEqual({
      unexpected: [],
      violations: [],
    });
    // The mix really exercised every operation.
    expect(ok('create').length).toBeGreaterThanOrEqual(5);
    expect(ok('revoke').length + ok('rotate').length).toBeGreaterThanOrEqual(2);
    expect(ok('unpublish').length).toBeGreaterThanOrEqual(1);

    // The objects are a whole publication or none, every key in the Secret has its metadata, and
    // the API lists exactly the Secret's keys (404 when nothing is published).
    const kinds = [...new Set(state.objects.map(o => o.kind))].sort();
    const listed = await devA.get(`${base}/keys`);
    expect({
      kinds,
      keysWithoutMetadata: state.keys.filter(
        k => k.createdAt === new Date(0).toISOString(),
      ),
      listStatus: listed.status,
      listed: (listed.body.items ?? []).map((k: { id: string }) => k.id).sort(),
    }).toEqual(
      state.secret
        ? {
            kinds: [
              'AuthorizationPolicy',
              'Backend',
              'BackendTrafficPolicy',
              'HTTPRoute',
              'Secret',
              'SecurityPolicy',
            ],
            keysWithoutMetadata: [],
            listStatus: 200,
            listed: [...inSecret].sort(),
          }
        : { kinds: [], keysWithoutMetadata: [], listStatus: 404, listed: [] },
    );
  });
});
