import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { inferenceApiRef } from '../../api';
import { fakeInferenceApi } from '../../__testUtils__/fakeInferenceApi';
import { liveModel } from '../../__testUtils__/fixtures';
import { responseError } from '../../__testUtils__/responseError';
import { TenantsPage } from './TenantsPage';

const tenant = (name: string, members: string[]) => ({
  ref: `group:default/${name}`,
  name,
  cluster: 'local',
  namespace: name,
  members,
  namespaceState: 'Active' as const,
});

function render(api: ReturnType<typeof fakeInferenceApi>) {
  return renderInTestApp(<TenantsPage />, {
    apis: [[inferenceApiRef, api]],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

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
    await render(api);
    const rowA = (
      await screen.findByRole('link', { name: 'tenant-a' })
    ).closest('tr')!;
    expect(
      within(rowA).getByRole('link', { name: 'dev-a' }),
    ).toBeInTheDocument();
    expect(
      within(rowA)
        .getAllByRole('cell')
        .map(c => c.textContent)
        .slice(-2),
    ).toEqual(['2', '1']);
    const rowB = screen.getByRole('link', { name: 'tenant-b' }).closest('tr')!;
    expect(within(rowB).getByText('None')).toBeInTheDocument();
    expect(
      within(rowB)
        .getAllByRole('cell')
        .map(c => c.textContent)
        .slice(-2),
    ).toEqual(['1', '0']);
  });

  it('shows the backend error', async () => {
    const api = fakeInferenceApi({
      listTenants: jest.fn(async () => {
        throw await responseError(403, {
          name: 'NotAllowedError',
          message: 'not for you',
        });
      }),
    });
    await render(api);
    expect(await screen.findByText('not for you')).toBeInTheDocument();
  });
});
