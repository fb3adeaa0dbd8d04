import { render, screen, within } from '@testing-library/react';
import type { PlannedChange } from '@inference-in-a-box/backstage-plugin-inference-common';
import { ReviewStep, summarizeChanges } from './ReviewStep';

const changes: PlannedChange[] = [
  {
    action: 'create',
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'SecurityPolicy',
    namespace: 'tenant-a',
    name: 'sklearn-iris',
    fieldChanges: [
      { path: 'spec.apiKeyAuth.extractFrom.0.headers.0', after: 'x-api-key' },
    ],
  },
  {
    action: 'update',
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'BackendTrafficPolicy',
    namespace: 'tenant-a',
    name: 'sklearn-iris',
    fieldChanges: [
      {
        path: 'spec.rateLimit.global.rules.0.limit.requests',
        before: 60,
        after: 120,
      },
      {
        path: 'spec.rateLimit.global.rules.2',
        before: { limit: { requests: 100000, unit: 'Hour' } },
      },
    ],
  },
  {
    action: 'delete',
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    namespace: 'tenant-a',
    name: 'sklearn-iris-old',
    fieldChanges: [],
  },
  {
    action: 'unchanged',
    apiVersion: 'v1',
    kind: 'Secret',
    namespace: 'tenant-a',
    name: 'sklearn-iris-api-keys',
    fieldChanges: [],
  },
];

describe('ReviewStep', () => {
  it('summarizes the dry run', () => {
    expect(summarizeChanges(changes)).toBe(
      '1 to create, 1 to change, 1 to delete, 1 unchanged',
    );
  });

  it('lists every object with what will happen to it and the changed fields', () => {
    render(<ReviewStep changes={changes} />);
    const items = within(
      screen.getByRole('list', { name: 'Object changes' }),
    ).getAllByRole('listitem');
    expect(items.map(i => i.getAttribute('aria-label'))).toEqual([
      'SecurityPolicy tenant-a/sklearn-iris: Will be created',
      'BackendTrafficPolicy tenant-a/sklearn-iris: Will change',
      'AuthorizationPolicy tenant-a/sklearn-iris-old: Will be deleted',
      'Secret tenant-a/sklearn-iris-api-keys: Unchanged',
    ]);

    // Created: only the new values.
    const created = within(items[0]).getByRole('table');
    expect(
      within(created)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual(['Field', 'After']);
    expect(within(created).getByText('x-api-key')).toBeInTheDocument();

    // Changed: each field before and after; a removed field has no after.
    const changed = within(items[1]).getByRole('table');
    const rows = within(changed)
      .getAllByRole('row')
      .slice(1)
      .map(r =>
        within(r)
          .getAllByRole('cell')
          .map(c => c.textContent),
      );
    expect(rows).toEqual([
      ['spec.rateLimit.global.rules.0.limit.requests', '60', '120'],
      [
        'spec.rateLimit.global.rules.2',
        '{"limit":{"requests":100000,"unit":"Hour"}}',
        '',
      ],
    ]);

    // Deleted and unchanged objects have no field table.
    expect(within(items[2]).queryByRole('table')).not.toBeInTheDocument();
    expect(within(items[3]).queryByRole('table')).not.toBeInTheDocument();
  });

  it('says so when applying would change nothing', () => {
    render(<ReviewStep changes={[changes[3]]} />);
    expect(screen.getByText(/Applying changes nothing/)).toBeInTheDocument();
  });
});
