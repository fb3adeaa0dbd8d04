import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { TenantUsage } from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  apiFailing,
  fakeInferenceApi,
} from '../../__testUtils__/fakeInferenceApi';
import { liveModel, tenantUsage } from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { TenantsPage } from './TenantsPage';

const tenant = (name: string, members: string[]) => ({
  ref: `group:default/${name}`,
  name,
  cluster: 'local',
  namespace: name,
  members,
  namespaceState: 'Active' as const,
});

/** The texts of a row's cells from the Models column on: counts, then usage (when shown). */
const counts = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map(c => c.textContent)
    .slice(5);

const twoTenants = () =>
  jest.fn(async () => [
    tenant('tenant-a', ['user:default/dev-a']),
    tenant('tenant-b', []),
  ]);

const rowOf = async (name: string) =>
  (await screen.findByRole('link', { name })).closest('tr')!;

describe('TenantsPage', () => {
  it('lists tenants with namespace, members and counts of models and publications', async () => {
    const api = fakeInferenceApi({
      listTenants: jest.fn(async () => [
        tenant('tenant-a', ['user:default/dev-a']),
        tenant('tenant-b', []),
      ]),
      listModels: jest.fn(async () => [
        liveModel('sklearn-iris', { published: true }),
        liveModel('qwen-chat'),
        liveModel('t5', { namespace: 'tenant-b', tenant: 'tenant-b' }),
      ]),
    });
    await renderWithApi(<TenantsPage />, { api });
    const rowA = (
      await screen.findByRole('link', { name: 'tenant-a' })
    ).closest('tr')!;
    expect(
      within(rowA).getByRole('link', { name: 'dev-a' }),
    ).toBeInTheDocument();
    expect(counts(rowA)).toEqual(['2', '1', '–', '–']);
    const rowB = screen.getByRole('link', { name: 'tenant-b' }).closest('tr')!;
    expect(within(rowB).getByText('None')).toBeInTheDocument();
    expect(counts(rowB)).toEqual(['1', '0', '–', '–']);
  });

  it("adds each tenant's requests and tokens of the last 24 hours", async () => {
    const api = fakeInferenceApi({
      listTenants: twoTenants(),
      getTenantUsage: jest.fn(async () => [
        tenantUsage('tenant-a', 12_345, 678_901),
      ]),
    });
    await renderWithApi(<TenantsPage />, { api });
    const rowA = await rowOf('tenant-a');
    await waitFor(() =>
      expect(counts(rowA)).toEqual(['0', '0', '12,345', '678,901']),
    );
    expect(api.getTenantUsage).toHaveBeenCalledWith('24h');
    expect(
      within(rowA).getByLabelText(
        'Requests of tenant-a in the last 24 hours: 12,345',
      ),
    ).toBeInTheDocument();
    expect(
      within(rowA).getByLabelText(
        'Tokens of tenant-a in the last 24 hours: 678,901',
      ),
    ).toBeInTheDocument();
    // Nothing reported for tenant-b (no traffic, or not the user's to read).
    expect(
      within(await rowOf('tenant-b')).getByLabelText(
        'Requests of tenant-b in the last 24 hours: none reported',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('columnheader', { name: 'Requests (24 h)' }),
    ).toBeInTheDocument();
  });

  it('shows the table while usage loads', async () => {
    const api = fakeInferenceApi({
      listTenants: twoTenants(),
      getTenantUsage: jest.fn(() => new Promise<TenantUsage[]>(() => {})),
    });
    await renderWithApi(<TenantsPage />, { api });
    expect(
      within(await rowOf('tenant-a')).getByLabelText(
        'Tokens of tenant-a in the last 24 hours: loading',
      ),
    ).toBeInTheDocument();
  });

  it('leaves the usage columns out, and says why, when usage is not configured', async () => {
    const api = apiFailing(
      'getTenantUsage',
      501,
      'Usage is not configured (inference.usage.prometheusUrl)',
    );
    api.listTenants = twoTenants();
    await renderWithApi(<TenantsPage />, { api });
    await rowOf('tenant-a');
    expect(
      await screen.findByRole('status', { name: 'Usage not configured' }),
    ).toHaveTextContent('inference.usage.prometheusUrl');
    expect(
      screen.queryByRole('columnheader', { name: 'Requests (24 h)' }),
    ).not.toBeInTheDocument();
    expect(counts(await rowOf('tenant-a'))).toEqual(['0', '0']);
  });

  it('keeps the tenants when Prometheus does not answer, with unknown usage and Retry', async () => {
    const api = apiFailing(
      'getTenantUsage',
      503,
      'Prometheus did not answer: connect ECONNREFUSED 127.0.0.1:9090',
    );
    api.listTenants = twoTenants();
    await renderWithApi(<TenantsPage />, { api });
    const panel = await screen.findByRole('alert');
    expect(panel).toHaveTextContent(
      'Usage is unavailable: Prometheus did not answer (503 Service Unavailable)',
    );
    expect(counts(await rowOf('tenant-a'))).toEqual(['0', '0', '?', '?']);

    api.getTenantUsage.mockImplementation(async () => [
      tenantUsage('tenant-a', 5, 0),
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() =>
      expect(
        counts(screen.getByRole('link', { name: 'tenant-a' }).closest('tr')!),
      ).toEqual(['0', '0', '5', '0']),
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const api = apiFailing('listTenants', 403, 'not for you');
    await renderWithApi(<TenantsPage />, { api });
    expect(await screen.findByText('not for you')).toBeInTheDocument();
  });
});
