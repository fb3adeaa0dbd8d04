import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { NotificationSeverity } from '@backstage/plugin-notifications-common';
import { InputError } from '@backstage/errors';
import type { Tenant } from '@inference-in-a-box/backstage-plugin-inference-common';
import { PLATFORM_ADMINS_GROUP } from '@inference-in-a-box/backstage-plugin-inference-node';

/**
 * What the owners of a publication are told. Only these fields reach the notification (nothing
 * else of an object passed in is copied), and every recipient can read all of them: never put an
 * API key, a Secret's data or a cluster credential here.
 * @public
 */
export interface PublicationOwnersMessage {
  title: string;
  description?: string;
  /**
   * A path in the portal (e.g. `/inference/models/local/tenant-a/iris`), resolved against
   * `app.baseUrl` by the notifications backend. Links out of the portal are refused.
   */
  link?: string;
  /** `high` for drift found, `normal` for drift restored; the notifications backend's default is `normal`. */
  severity?: NotificationSeverity;
  /** The topic users filter and mute by in their notification settings, e.g. `Publication drift`. */
  topic?: string;
  /**
   * The notification's identity per recipient: a notification sent with a scope this plugin has
   * already used for a user replaces that user's earlier one (new text, marked unread again)
   * instead of adding another. Use one scope per publication and concern, e.g.
   * `publication-drift:local/tenant-a/iris`, for both "drift found" and "drift restored", so
   * each owner sees one notification with the publication's latest state.
   */
  scope: string;
}

/**
 * Sends one notification to the owners of a tenant's publication: the members of the tenant's
 * group and of the platform admins' group (the notifications backend resolves the groups to their
 * member users through the catalog, each user once). The notification's origin is the calling
 * plugin (`plugin:inference`), so scopes are this plugin's own.
 *
 * Rejects when the notifications backend refuses or cannot be reached; the caller decides whether
 * that fails its work (drift detection should log and carry on).
 * @public
 */
export async function notifyPublicationOwners(options: {
  /** The `notificationService` of `@backstage/plugin-notifications-node`, a dependency of the plugin. */
  notifications: NotificationService;
  /** The tenant owning the publication; only its group's entity ref is used. */
  tenant: Pick<Tenant, 'ref'>;
  /**
   * Defaults to {@link @inference-in-a-box/backstage-plugin-inference-node#PLATFORM_ADMINS_GROUP},
   * the group the permission policy treats as admins.
   */
  platformAdminsGroup?: string;
  message: PublicationOwnersMessage;
}): Promise<void> {
  const { notifications, tenant, message } = options;
  const platformAdminsGroup =
    options.platformAdminsGroup ?? PLATFORM_ADMINS_GROUP;
  if (!message.scope.trim()) {
    throw new InputError('A publication notification needs a scope');
  }
  if (message.link !== undefined && !isPortalPath(message.link)) {
    throw new InputError(
      `A publication notification links to a path in the portal, not '${message.link}'`,
    );
  }
  const entityRef = [...new Set([tenant.ref, platformAdminsGroup])];
  await notifications.send({
    recipients: { type: 'entity', entityRef },
    payload: {
      title: message.title,
      description: message.description,
      link: message.link,
      severity: message.severity,
      topic: message.topic,
      scope: message.scope,
    },
  });
}

/** An absolute path of the portal: one leading slash (`//host` is another site), no scheme. */
function isPortalPath(link: string): boolean {
  return /^\/(?![/\\])/.test(link) && !/[\s\\]/.test(link);
}
