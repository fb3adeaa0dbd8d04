// A rotated key must stop working when its grace period ends: the scheduled task removes it from
// the Secret the gateway reads (listing already hides it; the gateway only knows the Secret).
import { mockServices } from '@backstage/backend-test-utils';
import type { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import type { InferenceTestBackend } from '../__testUtils__';
import {
  apiAs,
  publishWithRotatedKey,
  startPluginBackend,
  storedApiKeys,
} from '../__testUtils__';

jest.setTimeout(60_000);

describe('expiry of rotated keys', () => {
  let backend: InferenceTestBackend;
  const scheduler = mockServices.scheduler.mock();

  beforeAll(async () => {
    backend = await startPluginBackend({
      features: [scheduler.factory],
    });
  });
  afterAll(() => backend?.stop());

  const secretKeyIds = () =>
    Object.keys(storedApiKeys(backend, 'tenant-a', 'iris')).sort();

  it('removes the old key from the Secret once the grace period is over, and keeps it before', async () => {
    const api = apiAs(backend, 'dev-a');
    const [old, next] = await publishWithRotatedKey(api, 'tenant-a', 'iris');
    expect(secretKeyIds()).toEqual([old, next].sort());

    const task = scheduler.scheduleTask.mock.calls
      .map(
        ([definition]) =>
          definition as SchedulerServiceTaskInvocationDefinition,
      )
      .find(definition => definition.id === 'inference-expire-rotated-keys');
    // Once per interval for the whole deployment (global scope), every minute unless configured
    // (inference.keyExpiry.frequencySeconds).
    expect(task).toMatchObject({ scope: 'global', frequency: { seconds: 60 } });

    await task!.fn(new AbortController().signal);
    expect(secretKeyIds()).toEqual([old, next].sort()); // still in its grace period

    await new Promise(r => setTimeout(r, 1100));
    await task!.fn(new AbortController().signal);
    expect(secretKeyIds()).toEqual([next]);
    const history = await api.get('/models/local/tenant-a/iris/history');
    expect(history.body.items[0]).toMatchObject({
      action: 'apikey.revoke',
      summary: 'grace period of a rotated key ended',
    });
  });
});
