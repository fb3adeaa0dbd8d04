import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { actionContext } from '@internal/inference-test-utils';
import { awaitModelEntityAction } from './awaitModelEntity';

const model = { cluster: 'local', namespace: 'tenant-a', name: 'iris' };

const entity = (
  kind: string,
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', annotations },
  spec: {
    type: kind === 'API' ? 'openapi' : 'model',
    lifecycle: 'production',
    owner: 'group:default/tenant-a',
  },
});
const irisAnnotations = {
  'inference.platform.io/namespace': 'tenant-a',
  'inference.platform.io/inference-service': 'iris',
  'inference.platform.io/cluster': 'local',
};

describe('inference:model:awaitEntity', () => {
  it("outputs the refs of the model's Component and API, telling clusters and tenants apart", async () => {
    const catalog = catalogServiceMock({
      entities: [
        entity('Component', 'iris', {
          ...irisAnnotations,
          'inference.platform.io/cluster': 'other',
        }),
        entity('Component', 'tenant-b-iris', {
          ...irisAnnotations,
          'inference.platform.io/namespace': 'tenant-b',
        }),
        entity('Component', 'tenant-a-iris', irisAnnotations),
        entity('API', 'tenant-a-iris', irisAnnotations),
      ],
    });
    const ctx = actionContext({ model, published: true });
    await awaitModelEntityAction({ catalog, pollIntervalMs: 5 }).handler(
      ctx as never,
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/tenant-a-iris',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'apiEntityRef',
      'api:default/tenant-a-iris',
    );
  });

  it('waits until the catalog lists the model', async () => {
    const inner = catalogServiceMock({
      entities: [entity('Component', 'iris', irisAnnotations)],
    });
    let calls = 0;
    // The provider's sync lands on the third look.
    const catalog = catalogServiceMock.mock({
      getEntities: async (...args) => {
        calls += 1;
        return calls < 3 ? { items: [] } : inner.getEntities(...args);
      },
    });
    const ctx = actionContext({ model });
    await awaitModelEntityAction({ catalog, pollIntervalMs: 5 }).handler(
      ctx as never,
    );
    expect(calls).toBe(3);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/iris',
    );
  });

  it('gives up after the timeout, saying the model exists', async () => {
    const ctx = actionContext({ model, timeoutSeconds: 1 });
    await expect(
      awaitModelEntityAction({
        catalog: catalogServiceMock({ entities: [] }),
        pollIntervalMs: 100,
      }).handler(ctx as never),
    ).rejects.toThrow(
      "Model 'iris' exists in tenant-a, but the catalog has not listed its entity yet",
    );
  });

  it('does nothing in a dry run', async () => {
    const ctx = actionContext({ model }, { dryRun: true });
    await awaitModelEntityAction({
      catalog: catalogServiceMock({ entities: [] }),
    }).handler(ctx as never);
    expect(ctx.output).not.toHaveBeenCalled();
  });
});
