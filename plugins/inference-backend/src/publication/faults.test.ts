// Cluster failures in the middle of a publish: the outcome is a complete publication or none,
// never orphaned objects, and publishing again converges.
import {
  LABEL_MANAGED_BY,
  MANAGED_BY_PORTAL,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { PUBLICATION_KINDS } from '@inference-in-a-box/backstage-plugin-inference-node';
import type { InferenceTestBackend } from '../__testUtils__';
import {
  apiAs,
  apiKeyPublishRequest,
  irisSpec,
  startPluginBackend,
  storedObject,
} from '../__testUtils__';

jest.setTimeout(60_000);

const M = '/models/local/tenant-a/iris';
const publish = apiKeyPublishRequest('iris', {
  requestsPerMinute: 60,
  requestsPerHour: 3600,
});
/** Real (not dry-run) applies of the publication's third object, the BackendTrafficPolicy. */
const THIRD_OBJECT_APPLY =
  /\/backendtrafficpolicies\/iris-rate-limits\?(?!.*dryRun=)/;
const EXPECTED_KINDS = [
  'AuthorizationPolicy',
  'Backend',
  'BackendTrafficPolicy',
  'HTTPRoute',
  'Secret',
  'SecurityPolicy',
];

describe('publishing through cluster faults', () => {
  let backend: InferenceTestBackend;
  let api: ReturnType<typeof apiAs>;

  const publishedKinds = () =>
    PUBLICATION_KINDS.flatMap(({ apiVersion, kind }) =>
      backend.sandbox.store
        .list(apiVersion, kind, 'tenant-a')
        .filter(
          o => o.metadata.labels?.[LABEL_MANAGED_BY] === MANAGED_BY_PORTAL,
        )
        .map(o => o.kind),
    ).sort();

  const limitsOf = () =>
    (
      storedObject(
        backend,
        'backendTrafficPolicy',
        'tenant-a',
        'iris-rate-limits',
      ) as unknown as
        | {
            spec: {
              rateLimit: {
                global: {
                  rules: { limit: { requests: number; unit: string } }[];
                };
              };
            };
          }
        | undefined
    )?.spec.rateLimit.global.rules.map(
      r => `${r.limit.requests}/${r.limit.unit}`,
    );

  beforeAll(async () => {
    backend = await startPluginBackend({
      config: { kubernetes: { requestTimeoutMs: 500, maxAttempts: 3 } },
    });
    api = apiAs(backend, 'dev-a');
    await api.createReadyModel('tenant-a', irisSpec());
  });
  afterEach(() => backend.sandbox.faults.clear());
  afterAll(() => backend?.stop());

  it('rides out a single 500 with a retry and publishes completely', async () => {
    backend.sandbox.faults.add({
      method: 'PATCH',
      path: THIRD_OBJECT_APPLY,
      status: 500,
      times: 1,
    });
    const response = await api.put(`${M}/publication`, publish);
    expect(response.status).toBe(200);
    expect(publishedKinds()).toEqual(EXPECTED_KINDS);
    expect((await api.delete(`${M}/publication`)).status).toBe(200);
    expect(publishedKinds()).toEqual([]);
  });

  it.each([
    ['a persistent 500', { status: 500 }, 502],
    ['a timeout', { delayMs: 1500 }, 503],
    ['a 409 conflict', { status: 409 }, 409],
    ['a dropped connection', { drop: true }, 503],
  ])(
    'rolls a first publish back on %s at the third object, then a retry succeeds',
    async (_name, fault, status) => {
      backend.sandbox.faults.add({
        method: 'PATCH',
        path: THIRD_OBJECT_APPLY,
        times: 3,
        ...fault,
      });
      const failed = await api.put(`${M}/publication`, publish);
      expect(failed.status).toBe(status);
      expect(failed.body.error.message).toMatch(
        /BackendTrafficPolicy tenant-a\/iris-rate-limits.*nothing is half published/,
      );
      await new Promise(r => setTimeout(r, 1600)); // let a delayed request finish before looking
      expect(publishedKinds()).toEqual([]);

      backend.sandbox.faults.clear();
      const retried = await api.put(`${M}/publication`, publish);
      expect(retried.status).toBe(200);
      expect(publishedKinds()).toEqual(EXPECTED_KINDS);
      expect((await api.delete(`${M}/publication`)).status).toBe(200);
    },
  );

  it('rolls back every write of a group when two concurrent applies of it fail', async () => {
    // The guards are applied together: the BackendTrafficPolicy fails with a 500 and the
    // AuthorizationPolicy's connection drops, while the other guards succeed. The group settles,
    // the route is never applied, and every guard this attempt sent is rolled back.
    backend.sandbox.faults.add({
      method: 'PATCH',
      path: THIRD_OBJECT_APPLY,
      status: 500,
      times: 3,
    });
    backend.sandbox.faults.add({
      method: 'PATCH',
      path: /\/authorizationpolicies\/[^?]*\?(?!.*dryRun=)/,
      drop: true,
      times: 3,
    });
    const failed = await api.put(`${M}/publication`, publish);
    expect(failed.status).toBe(502);
    expect(failed.body.error.message).toMatch(
      /BackendTrafficPolicy tenant-a\/iris-rate-limits.*nothing is half published/,
    );
    expect(publishedKinds()).toEqual([]);
    backend.sandbox.faults.clear();
    expect((await api.put(`${M}/publication`, publish)).status).toBe(200);
    expect(publishedKinds()).toEqual(EXPECTED_KINDS);
    expect((await api.delete(`${M}/publication`)).status).toBe(200);
  });

  it('restores the previous publication when an update fails half-way', async () => {
    expect((await api.put(`${M}/publication`, publish)).status).toBe(200);
    expect(limitsOf()).toEqual(['60/Minute', '3600/Hour']);
    // The route is applied after the policies: fail it, so the new limits must be rolled back.
    backend.sandbox.faults.add({
      method: 'PATCH',
      path: /\/httproutes\/iris\?(?!.*dryRun=)/,
      status: 500,
      times: 3,
    });
    const failed = await api.put(`${M}/publication`, {
      ...publish,
      publicModelName: 'iris',
      limits: { requestsPerMinute: 5, requestsPerHour: 3600 },
      hostname: 'models.inference-in-a-box',
    });
    expect(failed.status).toBe(502);
    expect(limitsOf()).toEqual(['60/Minute', '3600/Hour']);
    expect(publishedKinds()).toEqual(EXPECTED_KINDS);
  });
});
