import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import type { EntitySource } from './createEntitySource';
import { InferenceEntityProvider } from './InferenceEntityProvider';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec: {
    type: 'model',
    lifecycle: 'experimental',
    owner: 'group:default/tenant-a',
  },
});

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function connected(
  source: EntitySource,
  warmUp = { retryDelayMs: 10, attempts: 3 },
) {
  const mutations: EntityProviderMutation[] = [];
  const taskRunner = { run: jest.fn(async () => {}) };
  const provider = new InferenceEntityProvider({
    source,
    taskRunner,
    logger: mockServices.logger.mock(),
    warmUp,
  });
  await provider.connect({
    applyMutation: async m => {
      mutations.push(m);
    },
    refresh: async () => {},
  });
  return { provider, mutations, taskRunner };
}

/**
 * Waits (up to 10 s) until a mock has been called `times` times: retries run on timers, which a
 * loaded machine may delay well past their nominal delay.
 */
async function untilCalled(mock: jest.Mock, times: number) {
  await waitFor(() =>
    expect(mock.mock.calls.length).toBeGreaterThanOrEqual(times),
  );
}

/** Polls an assertion until it passes, up to 10 s. */
async function waitFor(assertion: () => void) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  }
}

describe('InferenceEntityProvider', () => {
  it('schedules its sync under a stable task id', async () => {
    const { provider, taskRunner } = await connected({
      readEntities: async () => [],
    });
    expect(taskRunner.run).toHaveBeenCalledWith({
      id: 'inference:refresh',
      fn: expect.any(Function),
    });
    expect(provider.getProviderName()).toBe('inference');
  });

  it('applies a full mutation with the entities the source reads', async () => {
    const { provider, mutations } = await connected({
      readEntities: async () => [component('iris')],
    });
    await provider.refresh();
    expect(mutations).toEqual([
      {
        type: 'full',
        entities: [{ entity: component('iris'), locationKey: 'inference' }],
      },
    ]);
  });

  it('coalesces requests made during a sync into one more sync after it', async () => {
    const reads = [deferred<Entity[]>(), deferred<Entity[]>()];
    let call = 0;
    const { provider, mutations } = await connected({
      readEntities: () => reads[call++].promise,
    });

    const first = provider.refresh();
    const second = provider.refresh();
    const third = provider.refresh();
    expect(second).toBe(third);
    expect(call).toBe(1);

    reads[0].resolve([component('before')]);
    await first;
    reads[1].resolve([component('before'), component('after')]);
    await second;
    expect(call).toBe(2);
    expect(
      mutations.map(m => (m.type === 'full' ? m.entities.length : -1)),
    ).toEqual([1, 2]);
  });

  it('applies nothing when reading fails, and tries again soon until the first sync succeeded', async () => {
    const readEntities = jest
      .fn<Promise<Entity[] | undefined>, []>()
      .mockRejectedValueOnce(new Error('cluster unreachable'))
      .mockResolvedValue([component('iris')]);
    const { provider, mutations } = await connected({ readEntities });
    await expect(provider.refresh()).rejects.toThrow('cluster unreachable');
    expect(mutations).toEqual([]);
    await untilCalled(readEntities, 2);
    await waitFor(() => expect(mutations).toHaveLength(1));
    provider.stop();
  });

  it('applies nothing while the catalog has no tenant yet (start-up), and retries a bounded number of times', async () => {
    const readEntities = jest.fn(
      async (): Promise<Entity[] | undefined> => undefined,
    );
    const { provider, mutations } = await connected(
      { readEntities },
      { retryDelayMs: 5, attempts: 2 },
    );
    await provider.refresh();
    await untilCalled(readEntities, 3);
    // Bounded: no attempt after the last retry (retries are 5 ms apart).
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(mutations).toEqual([]);
    expect(readEntities).toHaveBeenCalledTimes(3);
    provider.stop();
  });

  it('refuses to sync before the catalog connected it', async () => {
    const provider = new InferenceEntityProvider({
      source: { readEntities: async () => [] },
      taskRunner: { run: async () => {} },
      logger: mockServices.logger.mock(),
    });
    await expect(provider.refresh()).rejects.toThrow(/not connected/);
  });
});
