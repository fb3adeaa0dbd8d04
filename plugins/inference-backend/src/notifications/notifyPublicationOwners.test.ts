import type {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { PLATFORM_ADMINS_GROUP } from '@inference-in-a-box/backstage-plugin-inference-node';
import {
  notifyPublicationOwners,
  PublicationOwnersMessage,
} from './notifyPublicationOwners';

const TENANT_A = {
  ref: 'group:default/tenant-a',
  name: 'tenant-a',
  cluster: 'local',
  namespace: 'tenant-a',
  members: ['user:default/dev-a'],
};

const DRIFT_FOUND: PublicationOwnersMessage = {
  title: 'Drift on the publication of iris',
  description: 'The HTTPRoute iris in tenant-a was changed outside the portal.',
  link: '/inference/models/local/tenant-a/iris',
  severity: 'high',
  topic: 'Publication drift',
  scope: 'publication-drift:local/tenant-a/iris',
};

function recordingNotifications() {
  const sent: NotificationSendOptions[] = [];
  const service: NotificationService = {
    send: jest.fn(async (options: NotificationSendOptions) => {
      sent.push(options);
    }),
  };
  return { service, sent };
}

describe('notifyPublicationOwners', () => {
  it('sends one notification to the tenant group and the platform admins', async () => {
    const { service, sent } = recordingNotifications();
    await notifyPublicationOwners({
      notifications: service,
      tenant: TENANT_A,
      message: DRIFT_FOUND,
    });
    expect(sent).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: [
            'group:default/tenant-a',
            'group:default/platform-admins',
          ],
        },
        payload: {
          title: 'Drift on the publication of iris',
          description:
            'The HTTPRoute iris in tenant-a was changed outside the portal.',
          link: '/inference/models/local/tenant-a/iris',
          severity: 'high',
          topic: 'Publication drift',
          scope: 'publication-drift:local/tenant-a/iris',
        },
      },
    ]);
    expect(PLATFORM_ADMINS_GROUP).toBe('group:default/platform-admins');
  });

  it('sends drift found and drift restored with the same scope, so they update one notification', async () => {
    const { service, sent } = recordingNotifications();
    await notifyPublicationOwners({
      notifications: service,
      tenant: TENANT_A,
      message: DRIFT_FOUND,
    });
    await notifyPublicationOwners({
      notifications: service,
      tenant: TENANT_A,
      message: {
        ...DRIFT_FOUND,
        title: 'The publication of iris is restored',
        severity: 'normal',
      },
    });
    expect(sent.map(s => s.payload.scope)).toEqual([
      DRIFT_FOUND.scope,
      DRIFT_FOUND.scope,
    ]);
    expect(sent.map(s => s.payload.severity)).toEqual(['high', 'normal']);
  });

  it('takes another admins group, and names a group once when the tenant is the admins group', async () => {
    const { service, sent } = recordingNotifications();
    await notifyPublicationOwners({
      notifications: service,
      tenant: TENANT_A,
      platformAdminsGroup: 'group:ops/admins',
      message: DRIFT_FOUND,
    });
    await notifyPublicationOwners({
      notifications: service,
      tenant: { ref: PLATFORM_ADMINS_GROUP },
      message: DRIFT_FOUND,
    });
    expect(sent.map(s => s.recipients)).toEqual([
      {
        type: 'entity',
        entityRef: ['group:default/tenant-a', 'group:ops/admins'],
      },
      { type: 'entity', entityRef: [PLATFORM_ADMINS_GROUP] },
    ]);
  });

  it('copies only the message fields into the payload, nothing else the caller had at hand', async () => {
    const { service, sent } = recordingNotifications();
    const secret = 'sk-inference-0123456789abcdef';
    const message = {
      ...DRIFT_FOUND,
      // What a careless caller might spread in from a publication or a Secret.
      apiKey: secret,
      metadata: { secretData: { key: secret } },
      headers: { authorization: `Bearer ${secret}` },
    } as PublicationOwnersMessage;
    await notifyPublicationOwners({
      notifications: service,
      tenant: { ...TENANT_A, token: secret } as typeof TENANT_A,
      message,
    });
    expect(Object.keys(sent[0].payload).sort()).toEqual([
      'description',
      'link',
      'scope',
      'severity',
      'title',
      'topic',
    ]);
    expect(JSON.stringify(sent)).not.toContain(secret);
    // Only the group refs of the tenant, not its members or namespace.
    expect(JSON.stringify(sent[0].recipients)).not.toContain('dev-a');
  });

  it('refuses a message without a scope, which would pile up notifications', async () => {
    const { service } = recordingNotifications();
    await expect(
      notifyPublicationOwners({
        notifications: service,
        tenant: TENANT_A,
        message: { ...DRIFT_FOUND, scope: ' ' },
      }),
    ).rejects.toThrow('needs a scope');
    expect(service.send).not.toHaveBeenCalled();
  });

  it.each([
    'https://evil.example.com/phish',
    '//evil.example.com/phish',
    '/\\evil.example.com',
    // eslint-disable-next-line no-script-url -- the link being refused
    'javascript:alert(1)',
    'inference/models',
  ])('refuses the link %s, which does not stay in the portal', async link => {
    const { service } = recordingNotifications();
    await expect(
      notifyPublicationOwners({
        notifications: service,
        tenant: TENANT_A,
        message: { ...DRIFT_FOUND, link },
      }),
    ).rejects.toThrow('links to a path in the portal');
    expect(service.send).not.toHaveBeenCalled();
  });

  it('passes on a failure of the notifications backend', async () => {
    const service: NotificationService = {
      send: jest.fn().mockRejectedValue(new Error('Request failed with 503')),
    };
    await expect(
      notifyPublicationOwners({
        notifications: service,
        tenant: TENANT_A,
        message: DRIFT_FOUND,
      }),
    ).rejects.toThrow('503');
  });
});
