// The notifications backend as the portal runs it (with the permission backend and the portal's
// policy), recipients resolved from the repository's catalog files: a notification for a tenant
// reaches that tenant's members (and, through notifyPublicationOwners, the platform admins) and
// nobody else, and one scope keeps one notification per user.
//
// Without the signals backend: its 0.3.21 needs `httpRouter.addWebSocketHandler`, which the test
// backend's HTTP router (backend-test-utils 1.11.7 bundles backend-defaults 0.18) does not have.
// The notifications backend publishes its signals through the events service either way.
import {
  createBackendPlugin,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import notificationsBackend from '@backstage/plugin-notifications-backend';
import {
  notificationService,
  type NotificationService,
} from '@backstage/plugin-notifications-node';
import { notifyPublicationOwners } from '@inference-in-a-box/backstage-plugin-inference-backend';
import { loadCatalogEntities } from '@internal/inference-test-utils';
import request from 'supertest';
import {
  authHeader,
  Caller,
  portalPermissionFeatures,
} from '../permissions/__testUtils__/testServices';

jest.setTimeout(60_000);

interface Listed {
  id: string;
  user: string;
  origin: string;
  read?: string | null;
  updated?: string | number | null;
  payload: { title: string; topic?: string; scope?: string };
}

/**
 * Stands in for the inference plugin (same plugin id, so the notifications' origin is
 * `plugin:inference`): it holds the NotificationService a backend plugin gets as a dependency.
 */
function notificationSender(): {
  feature: BackendFeature;
  service: () => NotificationService;
} {
  let captured: NotificationService | undefined;
  const feature = createBackendPlugin({
    pluginId: 'inference',
    register(env) {
      env.registerInit({
        deps: { notifications: notificationService },
        async init({ notifications }) {
          captured = notifications;
        },
      });
    },
  });
  return {
    feature,
    service: () => {
      if (!captured) throw new Error('the sender plugin did not start');
      return captured;
    },
  };
}

describe('notifications backend in the portal', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const sender = notificationSender();

  const list = async (caller: Caller, topic: string): Promise<Listed[]> => {
    const response = await request(backend.server)
      .get(
        `/api/notifications/notifications?topic=${encodeURIComponent(topic)}`,
      )
      .set('Authorization', authHeader(caller));
    expect(response.status).toBe(200);
    return response.body.notifications;
  };

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        notificationsBackend,
        ...portalPermissionFeatures(),
        sender.feature,
        catalogServiceMock.factory({ entities: loadCatalogEntities() }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            permission: { enabled: true },
            // The policy module's cluster registry; no cluster is called here.
            inference: {
              clusters: [
                {
                  name: 'local',
                  url: 'http://127.0.0.1:1',
                  serviceAccountToken: 'test',
                },
              ],
            },
          },
        }),
      ],
    });
  });
  afterAll(() => backend?.stop());

  it('lists a notification sent to a tenant group to its member only', async () => {
    const topic = 'to-the-group';
    await sender.service().send({
      recipients: { type: 'entity', entityRef: 'group:default/tenant-a' },
      payload: { title: 'For tenant A', topic },
    });

    const devA = await list('dev-a', topic);
    expect(devA).toEqual([
      expect.objectContaining({
        user: 'user:default/dev-a',
        origin: 'plugin:inference',
        payload: expect.objectContaining({ title: 'For tenant A' }),
      }),
    ]);
    for (const other of ['dev-b', 'visitor', 'platform-admin'] as const) {
      expect(await list(other, topic)).toEqual([]);
    }
    // Nor can another tenant's member read it by id.
    const byId = await request(backend.server)
      .get(`/api/notifications/notifications/${devA[0].id}`)
      .set('Authorization', authHeader('dev-b'));
    expect(byId.status).toBe(404);
  });

  it('sends the owners of a publication one notification each, updated in place by its scope', async () => {
    const topic = 'Publication drift';
    const scope = 'publication-drift:local/tenant-a/iris';
    await notifyPublicationOwners({
      notifications: sender.service(),
      tenant: { ref: 'group:default/tenant-a' },
      message: {
        title: 'Drift on the publication of iris',
        link: '/inference/models/local/tenant-a/iris',
        severity: 'high',
        topic,
        scope,
      },
    });
    const [first] = await list('dev-a', topic);
    expect(first.payload).toMatchObject({
      title: 'Drift on the publication of iris',
      scope,
    });
    expect(await list('platform-admin', topic)).toHaveLength(1);
    expect(await list('dev-b', topic)).toEqual([]);
    expect(await list('visitor', topic)).toEqual([]);

    // dev-a reads it; the restore replaces it and makes it unread again.
    const read = await request(backend.server)
      .post('/api/notifications/notifications/update')
      .set('Authorization', authHeader('dev-a'))
      .send({ ids: [first.id], read: true });
    expect(read.status).toBe(200);
    await notifyPublicationOwners({
      notifications: sender.service(),
      tenant: { ref: 'group:default/tenant-a' },
      message: {
        title: 'The publication of iris is restored',
        severity: 'normal',
        topic,
        scope,
      },
    });
    const afterRestore = await list('dev-a', topic);
    expect(afterRestore).toEqual([
      expect.objectContaining({
        id: first.id,
        read: null,
        // A timestamp (a number with SQLite).
        updated: expect.anything(),
        payload: expect.objectContaining({
          title: 'The publication of iris is restored',
        }),
      }),
    ]);
    expect(await list('platform-admin', topic)).toHaveLength(1);
    expect(await list('dev-b', topic)).toEqual([]);

    const status = await request(backend.server)
      .get('/api/notifications/status')
      .set('Authorization', authHeader('dev-b'));
    expect(status.body).toEqual({ unread: 0, read: 0 });
  });

  it('takes notifications from backend plugins only, not from users, and lists nothing without sign-in', async () => {
    const forged = await request(backend.server)
      .post('/api/notifications/notifications')
      .set('Authorization', authHeader('dev-b'))
      .send({
        recipients: { type: 'entity', entityRef: 'group:default/tenant-a' },
        payload: { title: 'Forged', topic: 'forged' },
      });
    expect(forged.status).toBe(403);
    expect(await list('dev-a', 'forged')).toEqual([]);

    const anonymous = await request(backend.server)
      .get('/api/notifications/notifications')
      .set('Authorization', authHeader('anonymous'));
    expect(anonymous.status).toBe(401);
  });
});
