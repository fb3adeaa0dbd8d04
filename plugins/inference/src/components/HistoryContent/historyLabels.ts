import type { HistoryAction } from '@inference-in-a-box/backstage-plugin-inference-common';

export const HISTORY_ACTION_LABELS: Record<HistoryAction, string> = {
  'model.create': 'Model created',
  'model.update': 'Model updated',
  'model.delete': 'Model deleted',
  'publication.publish': 'Published',
  'publication.unpublish': 'Unpublished',
  'apikey.create': 'API key created',
  'apikey.rotate': 'API key rotated',
  'apikey.revoke': 'API key revoked',
  'publication.drift': 'Changed outside the portal',
  'publication.restore': 'Guards restored automatically',
  'publication.reconcile': 'Reconciled',
  'rollout.start': 'New version rolled out',
  'rollout.traffic': 'Canary traffic changed',
  'rollout.promote': 'New version promoted',
  'rollout.rollback': 'Rolled back',
};
