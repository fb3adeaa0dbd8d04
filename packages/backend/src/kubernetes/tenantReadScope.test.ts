import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  loadCatalogEntities,
  membershipOf,
} from '@internal/inference-test-utils';
import { tenantReadScope } from './tenantReadScope';

const entities = loadCatalogEntities();

function setup(entityList = entities) {
  const catalog = catalogServiceMock({ entities: entityList });
  const getEntities = jest.spyOn(catalog, 'getEntities');
  const scopeOf = tenantReadScope({
    auth: mockServices.auth(),
    userInfo: {
      getUserInfo: async credentials => {
        const { userEntityRef } = credentials.principal as {
          userEntityRef: string;
        };
        return {
          userEntityRef,
          ownershipEntityRefs: membershipOf(entities, userEntityRef),
        };
      },
    },
    catalog,
    config: mockServices.rootConfig(),
    logger: mockServices.logger.mock(),
    clusters: {
      names: () => ['local'],
      defaultName: () => 'local',
    } as never,
  });
  return { scopeOf, getEntities };
}

const user = (name: string) => mockCredentials.user(`user:default/${name}`);

describe('tenantReadScope', () => {
  it.each([
    ['dev-a', ['local/tenant-a']],
    ['dev-b', ['local/tenant-b']],
    ['visitor', []],
  ])("gives %s the namespaces of the user's tenants", async (name, keys) => {
    const { scopeOf } = setup();
    const scope = await scopeOf(user(name));
    expect(scope.all).toBe(false);
    expect(scope.all === false && [...scope.namespaces]).toEqual(keys);
  });

  it('gives a platform admin everything', async () => {
    const { scopeOf } = setup();
    expect(await scopeOf(user('platform-admin'))).toEqual({ all: true });
  });

  it("gives the portal's own backend plugins everything and no principal nothing", async () => {
    const { scopeOf } = setup();
    expect(await scopeOf(mockCredentials.service())).toEqual({ all: true });
    expect(await scopeOf(mockCredentials.none())).toEqual({
      all: false,
      namespaces: new Set(),
    });
  });

  it('ignores a tenant group from an untrusted location', async () => {
    const forged = entities.map(e =>
      e.kind === 'Group' && e.metadata.name === 'tenant-a'
        ? {
            ...e,
            metadata: {
              ...e.metadata,
              annotations: {
                ...e.metadata.annotations,
                'backstage.io/managed-by-origin-location':
                  'url:https://example.com/org.yaml',
              },
            },
          }
        : e,
    );
    const { scopeOf } = setup(forged);
    const scope = await scopeOf(user('dev-a'));
    expect(scope.all === false && [...scope.namespaces]).toEqual([]);
  });

  it('reads the tenants once for calls close together', async () => {
    const { scopeOf, getEntities } = setup();
    await scopeOf(user('dev-a'));
    await scopeOf(user('dev-b'));
    expect(getEntities).toHaveBeenCalledTimes(1);
  });
});
