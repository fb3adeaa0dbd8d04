import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ModelUsage } from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  apiFailing,
  fakeInferenceApi,
} from '../../__testUtils__/fakeInferenceApi';
import {
  chatUsage,
  modelEntity,
  modelUsage,
} from '../../__testUtils__/fixtures';
import { renderForModel } from '../../__testUtils__/render';
import { UsageContent } from './UsageContent';

const qwen = { cluster: 'local', namespace: 'tenant-a', name: 'qwen-chat' };
const qwenEntity = modelEntity('qwen-chat', {
  modelType: 'openai',
  framework: 'huggingface',
});

/** The value of the summary figure of that name. */
const figure = (name: string) =>
  within(screen.getByRole('group', { name })).getByText(
    (_, el) => el?.tagName === 'P' && el.classList.contains('MuiTypography-h5'),
  ).textContent;

/** The texts of a key's row, cell by cell, without the headroom cell. */
const keyRow = (name: string) =>
  within(screen.getByRole('row', { name: `Key ${name}` }))
    .getAllByRole('cell')
    .slice(0, -1)
    .map(c => c.textContent);

function renderUsage(api = fakeInferenceApi(), entity = qwenEntity) {
  return renderForModel(<UsageContent />, { api, entity });
}

describe('UsageContent', () => {
  it('shows the figures of the window, a chart per series and each key with its headroom', async () => {
    const api = fakeInferenceApi({
      getModelUsage: jest.fn(async (_m, window) => chatUsage({ window })),
    });
    await renderUsage(api);
    await screen.findByRole('group', { name: 'Requests' });
    expect(api.getModelUsage).toHaveBeenCalledWith(qwen, '24h');
    expect(
      Object.fromEntries(
        [
          'Requests',
          '2xx',
          '4xx',
          '5xx',
          '401',
          '429',
          'Input tokens',
          'Output tokens',
          'Total tokens',
          'Latency p50',
          'Latency p95',
        ].map(name => [name, figure(name)]),
      ),
    ).toEqual({
      Requests: '30',
      '2xx': '17',
      '4xx': '12',
      '5xx': '1',
      '401': '2',
      '429': '10',
      'Input tokens': '1,234',
      'Output tokens': '5,678',
      'Total tokens': '6,912',
      'Latency p50': '84 ms',
      'Latency p95': '1.25 s',
    });

    for (const chart of [
      'Requests over time',
      'Rate limited (429) over time',
      'Errors (5xx) over time',
      'Tokens over time',
    ]) {
      expect(screen.getByRole('figure', { name: chart })).toBeInTheDocument();
    }
    expect(
      screen.getByRole('figure', { name: 'Rate limited (429) over time' }),
    ).toHaveTextContent(/Peak of 10 429s per 5 min at/);
    expect(screen.getAllByText('requests per 5 min, local time')).toHaveLength(
      1,
    );

    expect(
      within(screen.getByRole('table', { name: 'Usage per key' }))
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual([
      'Key',
      'Requests',
      '2xx',
      'Errors',
      '429',
      'Tokens in',
      'Tokens out',
      'Tokens total',
      'Headroom (current window)',
    ]);
    expect(keyRow('web')).toEqual([
      'webid …3d4e5f',
      '12',
      '11',
      '1',
      '0',
      '700',
      '3,000',
      '3,700',
    ]);
    expect(keyRow('batch')).toEqual([
      'batchid …66aabb',
      '6',
      '6',
      '0',
      '10',
      '534',
      '2,678',
      '3,212',
    ]);
    // The 401s per model and 429s per key come from the gateway's access log counter: shown as
    // counts, with nothing listed as unavailable.
    expect(
      screen.queryByRole('list', { name: 'Figures not available' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByText(/429 per key n\/a/)).not.toBeInTheDocument();
  });

  it('draws each limit as a bar of the share used, coloured as the key nears and reaches it', async () => {
    const api = fakeInferenceApi({
      getModelUsage: jest.fn(async (_m, window) => chatUsage({ window })),
    });
    await renderUsage(api);
    const bar = async (name: string) =>
      screen.findByRole('progressbar', { name });

    const webMinute = await bar('web: Requests per minute');
    expect(webMinute).toHaveAttribute('aria-valuenow', '40');
    expect(webMinute).toHaveAttribute('data-level', 'ok');
    expect(webMinute).toHaveAttribute(
      'aria-valuetext',
      '2 / 5 (40%) used in the current 1 min window',
    );

    const webTokens = await bar('web: Tokens per hour');
    expect(webTokens).toHaveAttribute('aria-valuenow', '85');
    expect(webTokens).toHaveAttribute('data-level', 'near');

    // Over the limit (the rate limit service counts refused hits too): full bar, red, real share.
    const batchMinute = await bar('batch: Requests per minute');
    expect(batchMinute).toHaveAttribute('aria-valuenow', '100');
    expect(batchMinute).toHaveAttribute('data-level', 'exhausted');
    expect(
      within(screen.getByRole('row', { name: 'Key batch' })).getByText(
        '7 / 5 (140%), limit reached',
      ),
    ).toBeInTheDocument();
  });

  it('asks for the chosen window and shows its figures', async () => {
    const api = fakeInferenceApi({
      getModelUsage: jest.fn(async (_m, window) =>
        chatUsage({
          window,
          requests: {
            ...chatUsage().requests,
            total: window === '7d' ? 900 : 30,
          },
        }),
      ),
    });
    await renderUsage(api);
    await screen.findByRole('group', { name: 'Requests' });
    expect(figure('Requests')).toBe('30');
    expect(screen.getByRole('button', { name: 'Last 24 h' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    await userEvent.click(screen.getByRole('button', { name: 'Last 7 d' }));
    await waitFor(() => expect(figure('Requests')).toBe('900'));
    expect(api.getModelUsage).toHaveBeenLastCalledWith(qwen, '7d');
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent(
      'Usage in the last 7 days',
    );

    await userEvent.click(screen.getByRole('button', { name: 'Last 1 h' }));
    await waitFor(() =>
      expect(api.getModelUsage).toHaveBeenLastCalledWith(qwen, '1h'),
    );
    expect(api.getModelUsage).toHaveBeenCalledTimes(3);
  });

  it('shows n/a, with the reason, for figures the metrics cannot give (a Prometheus without the access log counter)', async () => {
    const usage = chatUsage({
      requests: { ...chatUsage().requests, unauthorized: 0 },
      unavailable: [
        {
          figure: 'requests.unauthorized',
          reason: 'Envoy counts 401s per listener only.',
        },
        {
          figure: 'keys.requests.rateLimited',
          reason: 'The gateway records no 429s per API key',
        },
      ],
      asOf: 1767265200,
    });
    await renderUsage(
      fakeInferenceApi({ getModelUsage: jest.fn(async () => usage) }),
    );
    await screen.findByRole('group', { name: '401' });
    expect(figure('401')).toBe('n/a');
    expect(
      screen.getByRole('list', { name: 'Figures not available' }),
    ).toHaveTextContent('401 n/a: Envoy counts 401s per listener only');
    expect(keyRow('batch')[4]).toBe('n/a');
    expect(
      screen.getByText(
        /429 per key n\/a: The gateway records no 429s per API key\./,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/^As of .*; the figures lag/)).toBeInTheDocument();
  });

  it('explains why a predictive model has no per-key figures, and leaves out tokens', async () => {
    const usage: ModelUsage = {
      ...chatUsage(),
      tokens: undefined,
      series: { ...chatUsage().series, tokens: undefined },
      keys: [],
      unavailable: [
        {
          figure: 'keys',
          reason:
            "Per-key figures come from AI Gateway's GenAI metrics, which only OpenAI-compatible routes record",
        },
      ],
    };
    await renderUsage(
      fakeInferenceApi({ getModelUsage: jest.fn(async () => usage) }),
      modelEntity('sklearn-iris'),
    );
    await screen.findByRole('group', { name: 'Requests' });
    expect(
      screen.queryByRole('group', { name: 'Total tokens' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('figure', { name: 'Tokens over time' }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('note')).toHaveTextContent(
      "Per-key figures are not available for this model: Per-key figures come from AI Gateway's GenAI metrics, which only OpenAI-compatible routes record.",
    );
    expect(
      screen.queryByRole('table', { name: 'Usage per key' }),
    ).not.toBeInTheDocument();
  });

  it('shows a progress bar while loading', async () => {
    const api = fakeInferenceApi({
      getModelUsage: jest.fn(() => new Promise<ModelUsage>(() => {})),
    });
    await renderUsage(api);
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Model usage' })).toHaveAttribute(
      'aria-busy',
      'true',
    );
  });

  it('says when there was no traffic in the window', async () => {
    await renderUsage(fakeInferenceApi());
    expect(
      await screen.findByText(/No traffic in this window/),
    ).toHaveTextContent(
      'No traffic in this window: the gateway recorded no request for this model in the last 24 hours.',
    );
    expect(
      screen.queryByRole('figure', { name: 'Requests over time' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText('No key was used in the last 24 hours.'),
    ).toBeInTheDocument();
  });

  it('keeps the keys of a quiet window, with their headroom, and names revoked keys by their id', async () => {
    const api = fakeInferenceApi({
      getModelUsage: jest.fn(async (model, window) =>
        modelUsage({
          model,
          window,
          keys: [
            {
              keyId: 'key-0987654321',
              requests: { total: 0, byStatusClass: {}, rateLimited: 0 },
              headroom: [],
            },
            {
              keyId: 'key-1234567890',
              name: 'nightly',
              requests: { total: 0, byStatusClass: {}, rateLimited: 0 },
              headroom: [
                {
                  limit: 'requestsPerHour',
                  max: 100,
                  used: 0,
                  windowSeconds: 3600,
                },
              ],
            },
          ],
        }),
      ),
    });
    await renderUsage(api);
    await screen.findByText(/No traffic in this window/);
    expect(
      await screen.findByRole('progressbar', {
        name: 'nightly: Requests per hour',
      }),
    ).toHaveAttribute('aria-valuenow', '0');
    // A key without a name has been revoked since.
    expect(keyRow('revoked …654321')[0]).toBe('Revoked keyid …654321');
  });

  it('says that usage is not configured, naming the config key', async () => {
    await renderUsage(
      apiFailing(
        'getModelUsage',
        501,
        'Usage is not configured: set inference.usage.prometheusUrl',
      ),
    );
    const panel = await screen.findByRole('status', {
      name: 'Usage not configured',
    });
    expect(panel).toHaveTextContent('Usage is not configured');
    expect(panel).toHaveTextContent('inference.usage.prometheusUrl');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('group', { name: 'Time window' }),
    ).not.toBeInTheDocument();
  });

  it('shows that Prometheus did not answer, with Retry, and keeps the window picker', async () => {
    const api = apiFailing(
      'getModelUsage',
      503,
      'Prometheus at http://127.0.0.1:9090 did not answer: connect ECONNREFUSED',
    );
    await renderUsage(api);
    const panel = await screen.findByRole('alert');
    expect(panel).toHaveTextContent(
      'Usage is unavailable: Prometheus did not answer (503 Service Unavailable)',
    );
    expect(panel).toHaveTextContent('connect ECONNREFUSED');
    expect(
      screen.getByRole('group', { name: 'Time window' }),
    ).toBeInTheDocument();

    api.getModelUsage.mockImplementation(async (model, window) =>
      chatUsage({ model, window }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('group', { name: 'Requests' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it("shows the backend's refusal of a model the user may not read", async () => {
    await renderUsage(
      apiFailing(
        'getModelUsage',
        403,
        'You are not allowed to read models in tenant-a',
      ),
    );
    const panel = await screen.findByRole('alert');
    expect(panel).toHaveTextContent('Could not load the usage (403 Forbidden)');
    expect(panel).toHaveTextContent(
      'You are not allowed to read models in tenant-a',
    );
  });

  it('refuses an entity without a cluster annotation', async () => {
    const api = fakeInferenceApi();
    await renderUsage(api, modelEntity('qwen-chat', { cluster: null }));
    expect(await screen.findByText(/No usage/)).toBeInTheDocument();
    expect(api.getModelUsage).not.toHaveBeenCalled();
  });
});
