import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { clusterRegistryServiceMock } from '../testUtils';
import { catalogTenantGroups } from './tenantGroups';
import { tenantGroupEntity } from '@internal/inference-test-utils';

const TRUSTED = 'file:/portal/catalog/org.yaml';

const group = (name: string, namespace: string, origin: string): Entity =>
  tenantGroupEntity({
    name,
    origin,
    annotations: { 'inference.platform.io/namespace': namespace },
  });

function groupsOf(
  entities: Entity[],
  catalog = catalogServiceMock({ entities }),
) {
  return catalogTenantGroups({
    catalog,
    auth: mockServices.auth(),
    config: new ConfigReader({
      inference: { tenants: { trustedLocations: [TRUSTED] } },
    }),
    logger: mockServices.logger.mock(),
    clusters: clusterRegistryServiceMock.mock({ local: {} as never }),
    cacheTtlMs: 60_000,
  });
}

describe('catalogTenantGroups', () => {
  it('has the tenants of the inference plugin: trusted groups only', async () => {
    const groups = groupsOf([
      group('tenant-a', 'tenant-a', TRUSTED),
      group('forged', 'tenant-b', 'url:https://example.com/forged.yaml'),
    ]);
    expect([...(await groups.refs())]).toEqual(['group:default/tenant-a']);
  });

  it('caches a successful read and does not cache a failure', async () => {
    const catalog = catalogServiceMock({
      entities: [group('tenant-b', 'tenant-b', TRUSTED)],
    });
    const getEntities = jest
      .spyOn(catalog, 'getEntities')
      .mockRejectedValueOnce(new Error('catalog down'));
    const groups = groupsOf([], catalog);
    await expect(groups.refs()).rejects.toThrow('catalog down');
    expect([...(await groups.refs())]).toEqual(['group:default/tenant-b']);
    expect([...(await groups.refs())]).toEqual(['group:default/tenant-b']);
    expect(getEntities).toHaveBeenCalledTimes(2);
  });
});
