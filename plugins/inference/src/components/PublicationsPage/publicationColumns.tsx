import type { TableColumn } from '@backstage/core-components';
import type { PublicationSummary } from '@inference-in-a-box/backstage-plugin-inference-common';
import { formatLimits } from './formatLimits';
import { PublicationStateLabel } from './PublicationStateLabel';
import { publicationKey } from './useDriftedEntityRefs';

/**
 * The Publications tab's columns: where each publication answers, in what state, with what limits.
 * `entityRefs` (by publicationKey) links a drifted publication's state to the model's Endpoint tab.
 */
export function publicationColumns(
  entityRefs: Map<string, string>,
): TableColumn<PublicationSummary>[] {
  return [
    { title: 'Model', field: 'model' },
    { title: 'Tenant', field: 'tenant' },
    { title: 'Public name', field: 'publicModelName' },
    { title: 'Endpoint', field: 'endpoint' },
    {
      title: 'State',
      field: 'state',
      render: p => (
        <PublicationStateLabel
          publication={p}
          entityRef={entityRefs.get(publicationKey(p))}
        />
      ),
    },
    { title: 'Auth', render: p => (p.auth.jwt ? 'API key + JWT' : 'API key') },
    { title: 'Limits', render: p => formatLimits(p.limits) },
    { title: 'Keys', render: p => p.apiKeys.length },
    {
      title: 'Updated',
      field: 'updatedAt',
      render: p => (p.updatedAt ? new Date(p.updatedAt).toLocaleString() : ''),
    },
  ];
}
