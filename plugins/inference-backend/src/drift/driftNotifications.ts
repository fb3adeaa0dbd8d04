import type { NotificationService } from '@backstage/plugin-notifications-node';
import { notifyPublicationOwners } from '../notifications/notifyPublicationOwners';
import type { NotifyOwners } from './DriftService';

/**
 * Drift notifications: one per publication (the scope), updated when drift is found and when
 * guards come back, to the tenant group and the platform admins. Names of objects and field
 * managers only; never values.
 */
export function driftNotifier(
  notifications: NotificationService,
): NotifyOwners {
  return async (tenant, model, { kind, objects }) => {
    // Per model, not per publication id: platform admins get every tenant's notifications.
    const scope = `publication-drift:${model.cluster}/${model.namespace}/${model.name}`;
    const what = objects
      .map(o => `${o.kind} ${o.name} (${o.change})`)
      .join(', ');
    const managers = [...new Set(objects.flatMap(o => o.managers))];
    const by = managers.length > 0 ? ` by ${managers.join(', ')}` : '';
    await notifyPublicationOwners({
      notifications,
      tenant,
      message:
        kind === 'drifted'
          ? {
              title: `The publication of ${model.name} was changed outside the portal`,
              description: `Changed${by}: ${what}. Review it on the model's Endpoint tab and Reconcile to take it back.`,
              severity: 'high',
              link: '/inference/publications',
              topic: 'Publication drift',
              scope,
            }
          : {
              title: `The guards of ${model.name} were put back`,
              description: `Authentication, authorization or rate limits were weakened${by} and restored: ${what}.`,
              severity: 'normal',
              link: '/inference/publications',
              topic: 'Publication drift',
              scope,
            },
    });
  };
}
