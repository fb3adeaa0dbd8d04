import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { readTenants } from './readTenants';

const group = (
  name: string,
  annotations: Record<string, string>,
  members: string[] = [],
  type = 'tenant',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default', annotations },
  spec: { type, children: [] },
  relations: members.map(targetRef => ({ type: 'hasMember', targetRef })),
});

describe('readTenants', () => {
  it('reads tenant groups with their namespace, cluster and members', async () => {
    const catalog = catalogServiceMock({
      entities: [
        group('tenant-a', { 'inference.platform.io/namespace': 'ns-a' }, [
          'user:default/zed',
          'user:default/amy',
        ]),
        group('tenant-b', {
          'inference.platform.io/namespace': 'ns-b',
          'inference.platform.io/cluster': 'eu',
        }),
        group('no-namespace', {}),
        group(
          'team',
          { 'inference.platform.io/namespace': 'ns-t' },
          [],
          'team',
        ),
      ],
    });
    const tenants = await readTenants({
      catalog,
      auth: mockServices.auth(),
      defaultCluster: 'local',
    });
    expect(tenants).toEqual([
      {
        ref: 'group:default/tenant-a',
        name: 'tenant-a',
        title: undefined,
        cluster: 'local',
        namespace: 'ns-a',
        members: ['user:default/amy', 'user:default/zed'],
      },
      {
        ref: 'group:default/tenant-b',
        name: 'tenant-b',
        title: undefined,
        cluster: 'eu',
        namespace: 'ns-b',
        members: [],
      },
    ]);
  });
});
