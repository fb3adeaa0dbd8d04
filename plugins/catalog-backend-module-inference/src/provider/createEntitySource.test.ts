import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { ClusterClient } from '@inference-in-a-box/backstage-plugin-inference-node';
import { clusterRegistryServiceMock } from '@inference-in-a-box/backstage-plugin-inference-node/testUtils';
import { createEntitySource } from './createEntitySource';
import { tenantGroupEntity } from '@internal/inference-test-utils';

const TRUSTED = 'url:https://git.example.com/platform/org/blob/main/org.yaml';
const USER_REPO =
  'url:https://git.example.com/mallory/x/blob/main/catalog.yaml';

const tenantGroup = (name: string, namespace: string, origin: string) =>
  tenantGroupEntity({
    name,
    origin,
    annotations: { 'inference.platform.io/namespace': namespace },
  });

function setup(entities: Entity[]) {
  const client = {
    list: jest.fn(async () => []),
    get: jest.fn(),
    apply: jest.fn(),
    delete: jest.fn(),
    apiGroups: jest.fn(),
  } as unknown as jest.Mocked<ClusterClient>;
  const logger = mockServices.logger.mock();
  const source = createEntitySource({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    clusters: clusterRegistryServiceMock.mock({ local: client }),
    config: mockServices.rootConfig({
      data: { inference: { tenants: { trustedLocations: [TRUSTED] } } },
    }),
    logger,
  });
  const namespacesListed = () =>
    [
      ...new Set(
        client.list.mock.calls.map(
          c =>
            (c as unknown as [string, string, { namespace?: string }])[2]
              ?.namespace,
        ),
      ),
    ].sort();
  return { source, logger, namespacesListed };
}

describe('createEntitySource tenants', () => {
  it('discovers only the namespaces of trusted tenant groups, and logs the others once', async () => {
    const { source, logger, namespacesListed } = setup([
      tenantGroup('tenant-a', 'tenant-a', TRUSTED),
      tenantGroup('squatter', 'kube-system', USER_REPO),
    ]);
    await expect(source.readEntities()).resolves.toEqual([]);
    await source.readEntities();
    expect(namespacesListed()).toEqual(['tenant-a']);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Ignoring tenant group group:default/squatter'),
    );
  });

  it('applies nothing when the only tenant groups are untrusted or in conflict', async () => {
    const { source, namespacesListed } = setup([
      tenantGroup('squatter', 'tenant-a', USER_REPO),
      tenantGroup('tenant-b', 'tenant-b', TRUSTED),
      tenantGroup('tenant-b-too', 'tenant-b', TRUSTED),
    ]);
    await expect(source.readEntities()).resolves.toBeUndefined();
    expect(namespacesListed()).toEqual([]);
  });
});
