import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { PublicationSummary } from '@inference-in-a-box/backstage-plugin-inference-common';
import { fakeInferenceApi } from '../../__testUtils__/fakeInferenceApi';
import {
  publication,
  rateLimitDrift,
  restoredSecurityPolicy,
} from '../../__testUtils__/fixtures';
import { renderForModel } from '../../__testUtils__/render';
import { clickIn, openDialog } from '../../__testUtils__/userActions';
import { EndpointContent } from './EndpointContent';

const iris = { cluster: 'local', namespace: 'tenant-a', name: 'sklearn-iris' };
const at = (iso: string) => new Date(iso).toLocaleString();
const CHECKED = '2026-01-02T10:00:00Z';
const RECHECKED = '2026-01-02T11:30:00Z';

const drifted = () =>
  publication({ state: 'drifted', drift: rateLimitDrift() });
const inSync = (checkedAt = CHECKED) =>
  publication({ state: 'published', drift: { checkedAt, objects: [] } });

/** The text of every cell of a table's body rows, row by row. */
function bodyCells(table: HTMLElement): string[][] {
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row =>
      within(row)
        .getAllByRole('cell')
        .map(cell => cell.textContent ?? ''),
    );
}

/** The warning shown while the publication has drifted (undefined when there is none). */
const driftWarning = () =>
  screen.queryByRole('region', { name: 'Changed outside the portal' });

async function renderEndpoint(api: ReturnType<typeof fakeInferenceApi>) {
  await renderForModel(<EndpointContent />, { api });
  await screen.findByLabelText('Endpoint URL');
}

describe('EndpointContent: drift', () => {
  it('shows what was changed outside the portal: object, change, published and live value, manager', async () => {
    await renderEndpoint(
      fakeInferenceApi({ getPublication: jest.fn(async () => drifted()) }),
    );
    const warning = driftWarning()!;
    expect(warning).toBeInTheDocument();
    expect(warning).toHaveTextContent(`Last checked ${at(CHECKED)}`);
    expect(
      within(warning).getByRole('listitem', {
        name: 'BackendTrafficPolicy tenant-a/sklearn-iris-rate-limits: Changed',
      }),
    ).toBeInTheDocument();
    const fields = within(warning).getByRole('table', {
      name: 'Drifted fields of BackendTrafficPolicy sklearn-iris-rate-limits',
    });
    expect(
      within(fields)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual(['Field', 'Published', 'Live', 'Changed by']);
    expect(bodyCells(fields)).toEqual([
      [
        'spec.rateLimit.global.rules.0.limit.requests',
        '60',
        '600',
        'ops-oncall',
      ],
    ]);
    expect(
      within(warning).getByRole('button', { name: 'Reconcile' }),
    ).toBeEnabled();
    expect(
      within(warning).getByRole('button', { name: 'Check now' }),
    ).toBeEnabled();
    // The endpoint card's state says so too (not "Failed", which any unknown state would read).
    expect(screen.getByText('Drifted')).toBeInTheDocument();
    expect(screen.queryByText(/^Failed/)).not.toBeInTheDocument();
  });

  it('reconciles after confirming what will be taken back, then shows the reloaded publication in sync', async () => {
    let current: PublicationSummary = drifted();
    const api = fakeInferenceApi({
      getPublication: jest.fn(async () => current),
      reconcilePublication: jest.fn(async () => {
        current = inSync(RECHECKED);
        return current;
      }),
    });
    await renderEndpoint(api);
    const dialog = await openDialog('Reconcile');
    expect(dialog).toHaveAccessibleName('Reconcile sklearn-iris?');
    const toTakeBack = within(dialog).getByRole('list', {
      name: 'Changes to take back',
    });
    expect(
      within(toTakeBack).getByRole('listitem', {
        name: 'BackendTrafficPolicy tenant-a/sklearn-iris-rate-limits: Will be changed back',
      }),
    ).toHaveTextContent('ops-oncall');
    expect(api.reconcilePublication).not.toHaveBeenCalled();

    await clickIn(dialog, 'Reconcile');
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.reconcilePublication).toHaveBeenCalledTimes(1);
    expect(api.reconcilePublication).toHaveBeenCalledWith(iris);
    expect(
      await screen.findByText(`In sync, checked ${at(RECHECKED)}`),
    ).toBeInTheDocument();
    expect(driftWarning()).not.toBeInTheDocument();
    expect(api.getPublication).toHaveBeenCalledTimes(2);
  });

  it('keeps the dialog open with the error when reconciling fails', async () => {
    const api = fakeInferenceApi({
      getPublication: jest.fn(async () => drifted()),
      reconcilePublication: jest.fn(async () => {
        throw new Error('BackendTrafficPolicy was rejected');
      }),
    });
    await renderEndpoint(api);
    const dialog = await openDialog('Reconcile');
    await clickIn(dialog, 'Reconcile');
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Reconciling failed');
    expect(alert).toHaveTextContent('BackendTrafficPolicy was rejected');
    expect(api.getPublication).toHaveBeenCalledTimes(1);
    await clickIn(dialog, 'Cancel');
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(driftWarning()).toHaveTextContent('ops-oncall');
  });

  it('Check now shows the new result at once, even before the reloaded publication says so', async () => {
    // The stored publication still says "in sync": what is shown comes from the check itself.
    const api = fakeInferenceApi({
      getPublication: jest.fn(async () => inSync()),
      checkPublicationDrift: jest.fn(async () =>
        rateLimitDrift({ checkedAt: RECHECKED }),
      ),
    });
    await renderEndpoint(api);
    const status = screen.getByRole('status', { name: 'Drift check' });
    expect(status).toHaveTextContent(`In sync, checked ${at(CHECKED)}`);
    expect(driftWarning()).not.toBeInTheDocument();

    await userEvent.click(
      within(status).getByRole('button', { name: 'Check now' }),
    );
    await waitFor(() => expect(driftWarning()).toBeInTheDocument());
    expect(api.checkPublicationDrift).toHaveBeenCalledTimes(1);
    expect(api.checkPublicationDrift).toHaveBeenCalledWith(iris);
    expect(driftWarning()).toHaveTextContent(`Last checked ${at(RECHECKED)}`);
    expect(driftWarning()).toHaveTextContent('ops-oncall');
    // The publication is reloaded too (its state column and the models table follow it).
    await waitFor(() => expect(api.getPublication).toHaveBeenCalledTimes(2));
  });

  it('Check now of a drifted publication that was put right shows it in sync', async () => {
    const api = fakeInferenceApi({
      getPublication: jest.fn(async () => drifted()),
      checkPublicationDrift: jest.fn(async () => ({
        checkedAt: RECHECKED,
        objects: [],
      })),
    });
    await renderEndpoint(api);
    await userEvent.click(
      within(driftWarning()!).getByRole('button', { name: 'Check now' }),
    );
    expect(
      await screen.findByText(`In sync, checked ${at(RECHECKED)}`),
    ).toBeInTheDocument();
    expect(driftWarning()).not.toBeInTheDocument();
  });

  it('shows the error of a failed check and keeps the last result', async () => {
    const api = fakeInferenceApi({
      getPublication: jest.fn(async () => drifted()),
      checkPublicationDrift: jest.fn(async () => {
        throw new Error("Kubernetes cluster 'local' is unreachable");
      }),
    });
    await renderEndpoint(api);
    await userEvent.click(screen.getByRole('button', { name: 'Check now' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The drift check failed');
    expect(alert).toHaveTextContent(
      "Kubernetes cluster 'local' is unreachable",
    );
    expect(driftWarning()).toHaveTextContent('ops-oncall');
  });

  it('notes the guards the backend restored by itself, with what it did', async () => {
    await renderEndpoint(
      fakeInferenceApi({
        getPublication: jest.fn(async () =>
          publication({
            drift: {
              checkedAt: CHECKED,
              objects: [],
              restored: [restoredSecurityPolicy],
            },
          }),
        ),
      }),
    );
    const note = screen.getByRole('region', {
      name: 'Guards restored automatically',
    });
    expect(note).toHaveTextContent(
      `Guards restored automatically at ${at(CHECKED)}`,
    );
    expect(
      within(note).getByRole('listitem', {
        name: 'SecurityPolicy tenant-a/sklearn-iris-auth: Recreated',
      }),
    ).toHaveTextContent('Weakens a guard');
    expect(
      screen.getByRole('status', { name: 'Drift check' }),
    ).toHaveTextContent(`In sync, checked ${at(CHECKED)}`);
    expect(driftWarning()).not.toBeInTheDocument();
  });

  it('says when the publication was never checked, and shows no restored note', async () => {
    await renderEndpoint(
      fakeInferenceApi({ getPublication: jest.fn(async () => publication()) }),
    );
    expect(
      screen.getByRole('status', { name: 'Drift check' }),
    ).toHaveTextContent('Not checked for changes outside the portal yet');
    expect(
      screen.queryByRole('region', { name: 'Guards restored automatically' }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Check now' })).toBeEnabled();
  });
});
