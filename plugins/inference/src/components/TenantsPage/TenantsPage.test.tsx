import { screen, within } from '@testing-library/react';
import {
  apiFailing,
  fakeInferenceApi,
} from '../../__testUtils__/fakeInferenceApi';
import { liveModel } from '../../__testUtils__/fixtures';
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

/** The texts of a row's last two cells: its counts of models and publications. */
const counts = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map(c => c.textContent)
    .slice(-2);

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
    expect(counts(rowA)).toEqual(['2', '1']);
    const rowB = screen.getByRole('link', { name: 'tenant-b' }).closest('tr')!;
    expect(within(rowB).getByText('None')).toBeInTheDocument();
    expect(counts(rowB)).toEqual(['1', '0']);
  });

  it('shows the backend error', async () => {
    const api = apiFailing('listTenants', 403, 'not for you');
    await renderWithApi(<TenantsPage />, { api });
    expect(await screen.findByText('not for you')).toBeInTheDocument();
  });
});
