import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationReadPermission,
  catalogPermissions,
} from '@backstage/plugin-catalog-common/alpha';
import {
  inferenceAdminPermission,
  inferenceModelPublishPermission,
  inferencePermissions,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ADMIN_ONLY_PERMISSIONS,
  InferencePortalPolicy,
  TENANT_MEMBER_PERMISSIONS,
} from './InferencePortalPolicy';
import { staticTenantGroups, TenantGroups } from './tenantGroups';

function user(ref: string, groups: string[]): PolicyQueryUser {
  return {
    identity: {
      type: 'user',
      userEntityRef: ref,
      ownershipEntityRefs: [ref, ...groups],
    },
    info: { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
    token: 'token',
    credentials: {} as PolicyQueryUser['credentials'],
  } as PolicyQueryUser;
}

const TENANTS = [
  'group:default/tenant-a',
  'group:default/tenant-b',
  'group:default/tenant-c',
];
const policy = new InferencePortalPolicy({
  tenantGroups: staticTenantGroups(TENANTS),
});
const admin = user('user:default/platform-admin', [
  'group:default/platform-admins',
]);
const devA = user('user:default/dev-a', ['group:default/tenant-a']);
const devB = user('user:default/dev-b', ['group:default/tenant-b']);
const visitor = user('user:default/visitor', []);
/** In a group that is not a tenant: no more than a visitor. */
const teamMember = user('user:default/someone', ['group:default/some-team']);

// The Kubernetes plugin's permissions, as @backstage/plugin-kubernetes-common 0.9 defines them
// (upstream plugins/kubernetes-common/src/permissions.ts): basic permissions, no resource type.
// That package is not a dependency of this one; platformPermissionMatrix.test.ts checks the names
// against the real plugin's routes.
const kubernetesProxy = createPermission({
  name: 'kubernetes.proxy',
  attributes: {},
});
const kubernetesResourcesRead = createPermission({
  name: 'kubernetes.resources.read',
  attributes: { action: 'read' },
});
const kubernetesClustersRead = createPermission({
  name: 'kubernetes.clusters.read',
  attributes: { action: 'read' },
});
// Permissions the policy leaves to every signed-in user (scaffolder, search): any other name.
const scaffolderTaskCreate = createPermission({
  name: 'scaffolder.task.create',
  attributes: { action: 'create' },
});
const searchQuery = createPermission({
  name: 'search.query',
  attributes: { action: 'read' },
});

const ALLOW = { result: AuthorizeResult.ALLOW };
const DENY = { result: AuthorizeResult.DENY };

describe('InferencePortalPolicy', () => {
  describe('inference permissions (unchanged)', () => {
    it('lets platform admins do everything the inference plugin offers', async () => {
      for (const permission of inferencePermissions) {
        await expect(policy.handle({ permission }, admin)).resolves.toEqual(
          ALLOW,
        );
      }
    });

    it('gives tenant members a decision conditioned on their own tenant groups', async () => {
      const decision = await policy.handle(
        { permission: inferenceModelPublishPermission },
        devA,
      );
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'inference',
        resourceType: 'inference-model',
        conditions: {
          rule: 'IS_IN_USER_TENANTS',
          resourceType: 'inference-model',
          params: { claims: ['user:default/dev-a', 'group:default/tenant-a'] },
        },
      });
    });

    it('denies the admin permission to everyone but platform admins', async () => {
      for (const who of [devA, visitor]) {
        await expect(
          policy.handle({ permission: inferenceAdminPermission }, who),
        ).resolves.toEqual(DENY);
      }
    });

    it('denies every inference permission without a user', async () => {
      for (const permission of inferencePermissions) {
        await expect(policy.handle({ permission })).resolves.toEqual(DENY);
      }
    });
  });

  describe('the other plugins', () => {
    it('names only permissions the catalog really defines', () => {
      const catalogNames = catalogPermissions.map(p => p.name);
      const named = [...ADMIN_ONLY_PERMISSIONS, ...TENANT_MEMBER_PERMISSIONS];
      expect(
        named.filter(
          n => n.startsWith('catalog.') && !catalogNames.includes(n),
        ),
      ).toEqual([]);
      expect(
        [...ADMIN_ONLY_PERMISSIONS].filter(n => n.startsWith('catalog.')),
      ).toEqual([
        catalogLocationCreatePermission.name,
        catalogLocationDeletePermission.name,
        catalogLocationAnalyzePermission.name,
        catalogEntityCreatePermission.name,
        catalogEntityDeletePermission.name,
        catalogEntityValidatePermission.name,
      ]);
    });

    // Every permission x the five kinds of caller (the unauthenticated one is `undefined`).
    const who = {
      admin,
      devA,
      devB,
      visitor,
      teamMember,
      anonymous: undefined,
    };
    type Who = keyof typeof who;
    const EVERY_USER: Who[] = [
      'admin',
      'devA',
      'devB',
      'visitor',
      'teamMember',
    ];
    const MEMBERS: Who[] = ['admin', 'devA', 'devB'];
    const ADMINS: Who[] = ['admin'];
    const table: Array<
      [string, Parameters<typeof policy.handle>[0]['permission'], Who[]]
    > = [
      ['kubernetes.proxy', kubernetesProxy, ADMINS],
      ['kubernetes.resources.read', kubernetesResourcesRead, MEMBERS],
      ['kubernetes.clusters.read', kubernetesClustersRead, MEMBERS],
      ['catalog.location.create', catalogLocationCreatePermission, ADMINS],
      ['catalog.location.delete', catalogLocationDeletePermission, ADMINS],
      ['catalog.location.analyze', catalogLocationAnalyzePermission, ADMINS],
      ['catalog.entity.create', catalogEntityCreatePermission, ADMINS],
      ['catalog.entity.delete', catalogEntityDeletePermission, ADMINS],
      ['catalog.entity.validate', catalogEntityValidatePermission, ADMINS],
      ['catalog.entity.read', catalogEntityReadPermission, EVERY_USER],
      ['catalog.entity.refresh', catalogEntityRefreshPermission, EVERY_USER],
      ['catalog.location.read', catalogLocationReadPermission, EVERY_USER],
      ['scaffolder.task.create', scaffolderTaskCreate, EVERY_USER],
      ['search.query', searchQuery, EVERY_USER],
    ];
    it.each(
      table.flatMap(([name, permission, allowed]) =>
        (Object.keys(who) as Who[]).map(
          caller =>
            [
              `${name} for ${caller}: ${
                allowed.includes(caller) ? 'ALLOW' : 'DENY'
              }`,
              permission,
              caller,
              allowed.includes(caller),
            ] as const,
        ),
      ),
    )('%s', async (_title, permission, caller, allowed) => {
      await expect(policy.handle({ permission }, who[caller])).resolves.toEqual(
        allowed ? ALLOW : DENY,
      );
    });
  });

  describe('tenant membership for the Kubernetes reads', () => {
    it('follows the catalog: a group that is no (longer a) tenant grants nothing', async () => {
      const onlyB = new InferencePortalPolicy({
        tenantGroups: staticTenantGroups(['group:default/tenant-b']),
      });
      await expect(
        onlyB.handle({ permission: kubernetesResourcesRead }, devA),
      ).resolves.toEqual(DENY);
      await expect(
        onlyB.handle({ permission: kubernetesResourcesRead }, devB),
      ).resolves.toEqual(ALLOW);
    });

    it('denies (fails closed) when the tenant groups cannot be read, and still serves admins', async () => {
      const broken: TenantGroups = {
        refs: () => Promise.reject(new Error('catalog down')),
      };
      const warn = jest.fn();
      const failing = new InferencePortalPolicy({
        tenantGroups: broken,
        logger: { warn } as never,
      });
      await expect(
        failing.handle({ permission: kubernetesClustersRead }, devA),
      ).resolves.toEqual(DENY);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/catalog down/));
      await expect(
        failing.handle({ permission: kubernetesClustersRead }, admin),
      ).resolves.toEqual(ALLOW);
    });

    it('denies when no tenant source is configured', async () => {
      await expect(
        new InferencePortalPolicy().handle(
          { permission: kubernetesResourcesRead },
          devA,
        ),
      ).resolves.toEqual(DENY);
    });
  });
});
