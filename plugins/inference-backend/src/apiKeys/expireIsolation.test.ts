// One broken tenant or publication must not keep rotated keys alive everywhere: the expiry task
// handles each on its own, removes the expired keys of all the others, and logs each failure.
import { mockServices } from '@backstage/backend-test-utils';
import type { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import type { InferenceTestBackend } from '../__testUtils__';
import {
  apiAs,
  publishWithRotatedKey,
  startPluginBackend,
  storedApiKeys,
} from '../__testUtils__';

jest.setTimeout(90_000);

describe('expiry with a broken tenant', () => {
  let backend: InferenceTestBackend;
  const scheduler = mockServices.scheduler.mock();
  const logger = mockServices.logger.mock();

  beforeAll(async () => {
    backend = await startPluginBackend({
      features: [scheduler.factory, logger.factory],
    });
  });
  afterAll(() => backend?.stop());

  const secretKeyIds = (tenant: string, model: string) =>
    Object.keys(storedApiKeys(backend, tenant, model)).sort();

  const rotatedKeyOf = (user: string, namespace: string, model: string) =>
    publishWithRotatedKey(apiAs(backend, user), namespace, model);

  it('expires the keys of every other tenant and publication, and logs each failure', async () => {
    const a = await rotatedKeyOf('dev-a', 'tenant-a', 'iris');
    const b1 = await rotatedKeyOf('dev-b', 'tenant-b', 'b-one');
    const b2 = await rotatedKeyOf('dev-b', 'tenant-b', 'b-two');
    const c = await rotatedKeyOf('dev-c', 'tenant-c', 'c-one');
    await new Promise(r => setTimeout(r, 1100));

    // tenant-a (the first tenant) cannot be listed; b-one's Secret cannot be written.
    backend.sandbox.faults.add({
      method: 'GET',
      path: '/api/v1/namespaces/tenant-a/secrets',
      status: 403,
    });
    backend.sandbox.faults.add({
      method: 'PATCH',
      path: '/api/v1/namespaces/tenant-b/secrets/b-one-api-keys',
      status: 403,
    });

    const task = scheduler.scheduleTask.mock.calls
      .map(([d]) => d as SchedulerServiceTaskInvocationDefinition)
      .find(d => d.id === 'inference-expire-rotated-keys');
    expect(task).toBeDefined();
    logger.error.mockClear();
    await task!.fn(new AbortController().signal);

    // The healthy publications lost their expired key...
    expect(secretKeyIds('tenant-b', 'b-two')).toEqual([b2[1]]);
    expect(secretKeyIds('tenant-c', 'c-one')).toEqual([c[1]]);
    // ...the broken ones still hold theirs...
    expect(secretKeyIds('tenant-a', 'iris')).toEqual([...a].sort());
    expect(secretKeyIds('tenant-b', 'b-one')).toEqual([...b1].sort());
    // ...and each failure is reported on its own.
    const errors = logger.error.mock.calls.map(([message]) => String(message));
    expect(errors).toHaveLength(2);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Could not expire .* tenant 'tenant-a':/),
        expect.stringMatching(
          /^Could not expire .* tenant 'tenant-b', model 'b-one':/,
        ),
      ]),
    );
    expect(logger.info).toHaveBeenCalledWith(
      'Revoked 2 rotated API key(s) whose grace period ended',
    );

    // Once the faults are gone, the next run catches up.
    backend.sandbox.faults.clear();
    logger.error.mockClear();
    await task!.fn(new AbortController().signal);
    expect(secretKeyIds('tenant-a', 'iris')).toEqual([a[1]]);
    expect(secretKeyIds('tenant-b', 'b-one')).toEqual([b1[1]]);
    expect(logger.error).not.toHaveBeenCalled();
  });
});
