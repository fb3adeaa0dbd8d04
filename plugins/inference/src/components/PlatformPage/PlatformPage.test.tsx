import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeInferenceApi } from '../../__testUtils__/fakeInferenceApi';
import { clusterOverview, tenantUsage } from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { failsWith } from '../../__testUtils__/responseError';
import { PlatformPage } from './PlatformPage';

/** The texts of the body rows of a cluster's table of that name, cell by cell. */
const rowsOf = (cluster: HTMLElement, table: string) =>
  within(within(cluster).getByRole('table', { name: table }))
    .getAllByRole('row')
    .slice(1)
    .map(row =>
      within(row)
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    );

describe('PlatformPage', () => {
  it('shows a reachable cluster in full and an unreachable one with its error and unknown counts', async () => {
    const api = fakeInferenceApi({
      getPlatformOverview: jest.fn(async () => ({
        clusters: [
          clusterOverview(),
          clusterOverview({
            cluster: 'edge',
            reachable: false,
            error: 'connect ECONNREFUSED 10.0.0.7:6443',
            apiGroups: [],
            gateway: {
              name: 'ai-inference-gateway',
              namespace: 'envoy-gateway-system',
              found: false,
              conditions: [],
            },
            tenants: [
              {
                tenant: 'tenant-b',
                namespace: 'tenant-b',
                models: 0,
                publications: 0,
              },
            ],
          }),
        ],
      })),
    });
    await renderWithApi(<PlatformPage />, { api });

    const local = await screen.findByRole('region', { name: 'Cluster local' });
    expect(within(local).getByText('Reachable')).toBeInTheDocument();
    expect(rowsOf(local, 'Platform API groups')).toEqual([
      ['serving.kserve.io', 'Yes', 'v1beta1, v1alpha1', 'v1beta1'],
      ['security.istio.io', 'No', '', ''],
    ]);
    expect(
      within(local).getByText(/envoy-gateway-system\/ai-inference-gateway/),
    ).toHaveTextContent('Found');
    expect(rowsOf(local, 'Conditions')).toEqual([
      ['Accepted', 'True', 'Accepted', '', ''],
      [
        'Programmed',
        'False',
        'AddressNotAssigned',
        'No addresses have been assigned to the Gateway',
        '',
      ],
    ]);
    expect(rowsOf(local, 'Tenants')).toEqual([
      ['tenant-a', 'tenant-a', '2', '1'],
    ]);

    const edge = screen.getByRole('region', { name: 'Cluster edge' });
    expect(within(edge).getByText('Unreachable')).toBeInTheDocument();
    expect(within(edge).getByRole('alert')).toHaveTextContent(
      'connect ECONNREFUSED 10.0.0.7:6443',
    );
    // Nothing the cluster did not answer is shown as if it were known.
    expect(
      within(edge).queryByRole('table', { name: 'Platform API groups' }),
    ).not.toBeInTheDocument();
    expect(within(edge).queryByText('Not found')).not.toBeInTheDocument();
    expect(rowsOf(edge, 'Tenants')).toEqual([
      ['tenant-b', 'tenant-b', '?', '?'],
    ]);
  });

  it('says when no cluster is configured', async () => {
    await renderWithApi(<PlatformPage />, { api: fakeInferenceApi() });
    expect(
      await screen.findByText('No cluster is configured.'),
    ).toBeInTheDocument();
  });

  it.each([
    [
      403,
      'NotAllowedError',
      'You are not allowed to perform the action inference.admin',
      '403 Forbidden',
    ],
    [
      503,
      'ServiceUnavailableError',
      "Kubernetes cluster 'local' is unreachable",
      '503 Service Unavailable',
    ],
  ])(
    "shows a %i answer in the error panel with the backend's message and Retry",
    async (status, name, message, statusText) => {
      const api = fakeInferenceApi({
        getPlatformOverview: failsWith(status, { name, message }),
      });
      await renderWithApi(<PlatformPage />, { api });
      const panel = await screen.findByRole('alert');
      expect(panel).toHaveTextContent(
        `Could not load the platform overview (${statusText})`,
      );
      expect(panel).toHaveTextContent(message);
      await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
      expect(api.getPlatformOverview).toHaveBeenCalledTimes(2);
    },
  );
  it("shows the tenants' usage above the clusters, and the clusters when Prometheus does not answer", async () => {
    const api = fakeInferenceApi({
      getPlatformOverview: jest.fn(async () => ({
        clusters: [clusterOverview()],
      })),
      getTenantUsage: jest.fn(async () => [tenantUsage('tenant-a', 30, 100)]),
    });
    const { unmount } = await renderWithApi(<PlatformPage />, { api });
    const usage = await screen.findByRole('region', {
      name: 'Usage by tenant',
    });
    expect(
      await within(usage).findByRole('row', { name: 'Tenant tenant-a' }),
    ).toHaveTextContent('30');
    unmount();

    api.getTenantUsage.mockImplementation(
      failsWith(503, {
        name: 'ServiceUnavailableError',
        message: 'Prometheus did not answer',
      }),
    );
    await renderWithApi(<PlatformPage />, { api });
    expect(
      await screen.findByRole('region', { name: 'Cluster local' }),
    ).toBeInTheDocument();
    expect(
      await within(
        screen.getByRole('region', { name: 'Usage by tenant' }),
      ).findByRole('alert'),
    ).toHaveTextContent('Usage is unavailable: Prometheus did not answer');
  });
});
