import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  inferenceAdminPermission,
  inferenceModelPublishPermission,
  inferencePermissions,
} from '@internal/backstage-plugin-inference-common';
import { InferencePortalPolicy } from './policy';

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

const policy = new InferencePortalPolicy();
const admin = user('user:default/platform-admin', [
  'group:default/platform-admins',
]);
const devA = user('user:default/dev-a', ['group:default/tenant-a']);
const visitor = user('user:default/visitor', []);

describe('InferencePortalPolicy', () => {
  it('lets platform admins do everything the inference plugin offers', async () => {
    for (const permission of inferencePermissions) {
      await expect(policy.handle({ permission }, admin)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
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
      ).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it('denies every inference permission without a user', async () => {
    for (const permission of inferencePermissions) {
      await expect(policy.handle({ permission })).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it('leaves the rest of Backstage open to signed-in users', async () => {
    await expect(
      policy.handle({ permission: catalogEntityReadPermission }, visitor),
    ).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });
});
