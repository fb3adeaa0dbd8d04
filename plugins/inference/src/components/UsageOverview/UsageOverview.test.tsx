import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { TenantUsage } from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  apiFailing,
  fakeInferenceApi,
} from '../../__testUtils__/fakeInferenceApi';
import { tenantUsage } from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { UsageOverview } from './UsageOverview';

const qwen = { cluster: 'local', namespace: 'tenant-a', name: 'qwen-chat' };
const iris = { cluster: 'local', namespace: 'tenant-a', name: 'sklearn-iris' };
const t5 = { cluster: 'local', namespace: 'tenant-b', name: 'huggingface-t5' };

const usage = (): TenantUsage[] => [
  tenantUsage('tenant-b', 4, 0, {
    models: [
      {
        model: t5,
        requests: { total: 4, byStatusClass: { '2xx': 4 }, rateLimited: 0 },
      },
    ],
  }),
  tenantUsage('tenant-a', 30, 6912, {
    requests: {
      total: 30,
      byStatusClass: { '2xx': 17, '4xx': 12, '5xx': 1 },
      rateLimited: 10,
    },
    tokens: { input: 1234, output: 5678, total: 6912 },
    models: [
      {
        model: iris,
        requests: { total: 5, byStatusClass: { '2xx': 5 }, rateLimited: 0 },
      },
      {
        model: qwen,
        requests: {
          total: 25,
          byStatusClass: { '2xx': 12, '4xx': 12, '5xx': 1 },
          rateLimited: 10,
        },
        tokens: { input: 1234, output: 5678, total: 6912 },
      },
    ],
  }),
  tenantUsage('tenant-c', 0, 0),
];

/** The texts of the body rows of the table of that name, cell by cell. */
const rowsOf = (table: string) =>
  within(screen.getByRole('table', { name: table }))
    .getAllByRole('row')
    .slice(1)
    .map(row =>
      within(row)
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    );

describe('UsageOverview', () => {
  it("lists every tenant's usage, busiest first, the busiest models and a chart", async () => {
    const api = fakeInferenceApi({
      getTenantUsage: jest.fn(async () => usage()),
    });
    await renderWithApi(<UsageOverview />, { api });
    await screen.findByRole('table', { name: 'Usage by tenant' });
    expect(api.getTenantUsage).toHaveBeenCalledWith('24h');
    expect(rowsOf('Usage by tenant')).toEqual([
      ['tenant-a', '2', '30', '17', '12', '1', '10', '1,234', '5,678', '6,912'],
      ['tenant-b', '1', '4', '4', '0', '0', '0', '0', '0', '0'],
      ['tenant-c', '0', '0', '0', '0', '0', '0', '0', '0', '0'],
    ]);
    expect(rowsOf('Busiest models')).toEqual([
      ['tenant-a/qwen-chat', 'tenant-a', 'local', '25', '10', '6,912'],
      ['tenant-a/sklearn-iris', 'tenant-a', 'local', '5', '0', 'n/a'],
      ['tenant-b/huggingface-t5', 'tenant-b', 'local', '4', '0', 'n/a'],
    ]);
    expect(
      screen.getByRole('figure', { name: 'Requests by tenant' }),
    ).toBeInTheDocument();
  });

  it('reads the chosen window', async () => {
    const api = fakeInferenceApi({
      getTenantUsage: jest.fn(async () => usage()),
    });
    await renderWithApi(<UsageOverview />, { api });
    await screen.findByRole('table', { name: 'Usage by tenant' });
    await userEvent.click(screen.getByRole('button', { name: 'Last 1 h' }));
    await waitFor(() =>
      expect(api.getTenantUsage).toHaveBeenLastCalledWith('1h'),
    );
    expect(
      screen.getByText(/Requests, 429s and tokens in the last hour/),
    ).toBeInTheDocument();
  });

  it('says when no tenant had traffic', async () => {
    const api = fakeInferenceApi({
      getTenantUsage: jest.fn(async () => [tenantUsage('tenant-a', 0, 0)]),
    });
    await renderWithApi(<UsageOverview />, { api });
    expect(await screen.findByRole('status')).toHaveTextContent(
      'No traffic in this window: the gateway recorded no request in the last 24 hours.',
    );
    expect(
      screen.queryByRole('table', { name: 'Usage by tenant' }),
    ).not.toBeInTheDocument();
  });

  it('says that usage is not configured', async () => {
    await renderWithApi(<UsageOverview />, {
      api: apiFailing('getTenantUsage', 501, 'not configured'),
    });
    expect(
      await screen.findByRole('status', { name: 'Usage not configured' }),
    ).toHaveTextContent('inference.usage.prometheusUrl');
  });

  it('shows that Prometheus did not answer', async () => {
    await renderWithApi(<UsageOverview />, {
      api: apiFailing('getTenantUsage', 503, 'connect ECONNREFUSED'),
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Usage is unavailable: Prometheus did not answer (503 Service Unavailable)connect ECONNREFUSED',
    );
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
