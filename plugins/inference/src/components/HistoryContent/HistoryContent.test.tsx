import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { HistoryAction } from '@inference-in-a-box/backstage-plugin-inference-common';
import { fakeInferenceApi } from '../../__testUtils__/fakeInferenceApi';
import { renderForModel } from '../../__testUtils__/render';
import { HistoryContent } from './HistoryContent';

describe('HistoryContent', () => {
  it('lists actions with actor, outcome, time and summary, and opens a row to its object changes', async () => {
    const api = fakeInferenceApi({
      getHistory: jest.fn(async () => [
        {
          id: '1',
          action: 'publication.publish' as const,
          actor: 'user:default/dev-a',
          tenant: 'tenant-a',
          namespace: 'tenant-a',
          cluster: 'local',
          model: 'sklearn-iris',
          at: '2026-01-01T10:00:00Z',
          outcome: 'succeeded' as const,
          summary: '6 object(s) changed',
          changes: [
            {
              action: 'create' as const,
              apiVersion: 'v1',
              kind: 'Secret',
              namespace: 'tenant-a',
              name: 'sklearn-iris-api-keys',
              fieldChanges: [],
            },
          ],
        },
        {
          id: '2',
          action: 'apikey.revoke' as const,
          actor: 'user:default/dev-b',
          tenant: 'tenant-a',
          namespace: 'tenant-a',
          cluster: 'local',
          model: 'sklearn-iris',
          at: '2026-01-02T10:00:00Z',
          outcome: 'failed' as const,
          summary: 'Secret tenant-a/sklearn-iris-api-keys: conflict',
          via: 'agent action inference:publish',
        },
      ]),
    });
    await renderForModel(<HistoryContent />, { api });
    expect(await screen.findByText('Published')).toBeInTheDocument();
    expect(screen.getByText('API key revoked')).toBeInTheDocument();
    expect(screen.getByText('Succeeded')).toBeInTheDocument();
    expect(screen.getByText('Failed')).toBeInTheDocument();
    expect(screen.getByText('6 object(s) changed')).toBeInTheDocument();
    expect(screen.getByText('user:default/dev-a')).toBeInTheDocument();
    // Only the agent's change says how it arrived.
    expect(
      screen.getByText('via agent action inference:publish'),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/^via /)).toHaveLength(1);

    const row = screen.getByText('6 object(s) changed').closest('tr')!;
    await userEvent.click(within(row).getAllByRole('button')[0]);
    expect(
      await screen.findByLabelText(
        'Secret tenant-a/sklearn-iris-api-keys: Created',
      ),
    ).toBeInTheDocument();
  });

  it('shows an empty state', async () => {
    await renderForModel(<HistoryContent />, { api: fakeInferenceApi() });
    expect(
      await screen.findByText(/Nothing has been done to this model/),
    ).toBeInTheDocument();
  });

  it('names the drift actions: found, guards restored, reconciled', async () => {
    const entry = (id: string, action: HistoryAction, actor: string) => ({
      id,
      action,
      actor,
      tenant: 'tenant-a',
      namespace: 'tenant-a',
      cluster: 'local',
      model: 'sklearn-iris',
      at: `2026-01-0${id}T10:00:00Z`,
      outcome: 'succeeded' as const,
    });
    const api = fakeInferenceApi({
      getHistory: jest.fn(async () => [
        entry('1', 'publication.drift', 'inference-portal'),
        entry('2', 'publication.restore', 'inference-portal'),
        entry('3', 'publication.reconcile', 'user:default/dev-a'),
      ]),
    });
    await renderForModel(<HistoryContent />, { api });
    expect(
      await screen.findByText('Changed outside the portal'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Guards restored automatically'),
    ).toBeInTheDocument();
    expect(screen.getByText('Reconciled')).toBeInTheDocument();
    expect(screen.queryByText(/^publication\./)).not.toBeInTheDocument();
  });
});
