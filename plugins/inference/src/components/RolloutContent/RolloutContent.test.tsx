import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  PlannedChange,
  RolloutResult,
  RolloutStatus,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { fakeInferenceApi } from '../../__testUtils__/fakeInferenceApi';
import { rollouts } from '../../__testUtils__/fixtures';
import { renderForModel } from '../../__testUtils__/render';
import { responseError } from '../../__testUtils__/responseError';
import {
  clickIn,
  openDialog,
  replaceText,
} from '../../__testUtils__/userActions';
import { RolloutContent } from './RolloutContent';

const iris = { cluster: 'local', namespace: 'tenant-a', name: 'sklearn-iris' };
const V2 = 'gs://kfserving-examples/models/sklearn/1.1/model';
const POLL_MS = 20;

const isvcUpdate = (
  fieldChanges: PlannedChange['fieldChanges'] = [],
): PlannedChange => ({
  action: 'update',
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  namespace: 'tenant-a',
  name: 'sklearn-iris',
  fieldChanges,
});

const result = (
  rollout: RolloutStatus,
  dryRun: boolean,
  changes = [isvcUpdate()],
): RolloutResult => ({ dryRun, changes, rollout });

/** Renders the Rollout tab of sklearn-iris, whose rollout reads as `getRollout` answers. */
async function renderRollout(api: ReturnType<typeof fakeInferenceApi>) {
  await renderForModel(
    <RolloutContent pollIntervalMs={POLL_MS} figuresPollIntervalMs={POLL_MS} />,
    { api },
  );
  return screen.findByRole('status', { name: 'Rollout phase' });
}

const withRollout = (...states: RolloutStatus[]) => {
  const answers = [...states];
  return fakeInferenceApi({
    getRollout: jest.fn(async () =>
      answers.length > 1 ? answers.shift()! : answers[0],
    ),
  });
};

/** The text of every cell of the versions table, row by row. */
function versionRows(): string[][] {
  return within(screen.getByRole('table', { name: 'Versions' }))
    .getAllByRole('row')
    .slice(1)
    .map(row =>
      within(row)
        .getAllByRole('cell')
        .map(cell => cell.textContent ?? ''),
    );
}

const button = (name: string) => screen.getByRole('button', { name });

/**
 * Applies the operation a dialog reviewed: the second call is the same operation without the dry
 * run, and the dialog closes.
 */
async function applyReviewed(
  dialog: HTMLElement,
  api: ReturnType<typeof fakeInferenceApi>,
  operation: unknown,
) {
  await clickIn(dialog, 'Apply');
  await waitFor(() =>
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
  );
  expect(api.changeRollout.mock.calls[1]).toEqual([iris, operation]);
}

/** Waits a few poll intervals, so a poll that should not happen would have. */
const afterSomePolls = () =>
  act(() => new Promise(resolve => setTimeout(resolve, POLL_MS * 5)));

describe('RolloutContent: the live split', () => {
  it('shows a canary with both versions, their shares and the explanation', async () => {
    const phase = await renderRollout(withRollout(rollouts.canary()));
    expect(phase).toHaveTextContent('Canary');
    expect(
      screen.getByText(/^Canary: sklearn-iris-predictor-00002 gets 20 %/),
    ).toBeInTheDocument();
    expect(versionRows()).toEqual([
      ['Stable', 'sklearn-iris-predictor-00001', '80 %', 'Ready', ''],
      ['New', 'sklearn-iris-predictor-00002', '20 %', 'Ready', ''],
    ]);
    expect(
      screen.getByRole('img', {
        name: 'Traffic: sklearn-iris-predictor-00001 80 %, sklearn-iris-predictor-00002 20 %',
      }),
    ).toBeInTheDocument();
    for (const name of [
      'Roll out a new version',
      'Change share',
      'Promote',
      'Roll back',
    ]) {
      await waitFor(() => expect(button(name)).toBeEnabled());
    }
  });

  it('shows a failed new version with its reason and message, and offers only Roll back and a new version', async () => {
    const phase = await renderRollout(withRollout(rollouts.failed()));
    expect(phase).toHaveTextContent('Failed');
    expect(versionRows()).toEqual([
      ['Stable', 'sklearn-iris-predictor-00001', '100 %', 'Ready', ''],
      [
        'New',
        'sklearn-iris-predictor-00002',
        '0 %',
        'Not ready',
        'RevisionFailed: storage-initializer: gs://bucket/missing: object not found',
      ],
    ]);
    await waitFor(() => expect(button('Roll back')).toBeEnabled());
    expect(button('Roll out a new version')).toBeEnabled();
    for (const name of ['Promote', 'Change share']) {
      expect(button(name)).toBeDisabled();
      expect(button(name)).toHaveAccessibleDescription(
        'The new version sklearn-iris-predictor-00002 is not Ready.',
      );
    }
  });

  it('shows a stable model with one version at 100 % and nothing to promote or roll back', async () => {
    const phase = await renderRollout(withRollout(rollouts.stable()));
    expect(phase).toHaveTextContent('Stable');
    expect(versionRows()).toEqual([
      ['Current', 'sklearn-iris-predictor-00001', '100 %', 'Ready', ''],
    ]);
    await waitFor(() => expect(button('Roll out a new version')).toBeEnabled());
    expect(button('Promote')).toHaveAccessibleDescription(
      'There is no new version.',
    );
    expect(button('Roll back')).toHaveAccessibleDescription(
      'There is no new version to roll back.',
    );
  });

  it('shows a rolled back model: all traffic on the previous version, none on the new one', async () => {
    const phase = await renderRollout(withRollout(rollouts.rolledBack()));
    expect(phase).toHaveTextContent('Rolled back');
    expect(versionRows()).toEqual([
      ['Stable', 'sklearn-iris-predictor-00001', '100 %', 'Ready', ''],
      ['New', 'sklearn-iris-predictor-00002', '0 %', 'Ready', ''],
    ]);
    await waitFor(() =>
      expect(button('Roll back')).toHaveAccessibleDescription(
        'Already rolled back.',
      ),
    );
    expect(button('Promote')).toBeEnabled();
  });

  it('explains why a Standard-mode model has no canary, without any action', async () => {
    const api = withRollout(rollouts.standard());
    await renderForModel(<RolloutContent pollIntervalMs={POLL_MS} />, { api });
    const note = await screen.findByRole('region', {
      name: 'No gradual rollouts',
    });
    expect(note).toHaveTextContent(
      'KServe rolls out canaries only in Knative mode',
    );
    expect(note).toHaveTextContent('route weights is not available');
    expect(screen.getByText('Standard mode')).toBeInTheDocument();
    for (const name of [
      'Roll out a new version',
      'Change share',
      'Promote',
      'Roll back',
    ]) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    await afterSomePolls();
    expect(api.getRollout).toHaveBeenCalledTimes(1);
  });

  it('reads again while a new version starts, and stops once the canary has its share', async () => {
    const api = withRollout(
      rollouts.progressing(),
      rollouts.progressing(),
      rollouts.canary(10),
      rollouts.canary(20),
    );
    const phase = await renderRollout(api);
    expect(phase).toHaveTextContent('In progress');
    expect(versionRows()[1]).toEqual([
      'New',
      'sklearn-iris-predictor-00002',
      '0 %',
      'Starting',
      '',
    ]);
    expect(screen.getByText(/Updating every few seconds/)).toBeInTheDocument();
    await waitFor(() =>
      expect(versionRows()[1]).toEqual([
        'New',
        'sklearn-iris-predictor-00002',
        '20 %',
        'Ready',
        '',
      ]),
    );
    expect(phase).toHaveTextContent('Canary');
    expect(api.getRollout).toHaveBeenCalledTimes(4);
    await afterSomePolls();
    expect(api.getRollout).toHaveBeenCalledTimes(4);
    expect(screen.queryByText(/Updating every few seconds/)).toBeNull();
  });

  it('does not read again for a settled state', async () => {
    const api = withRollout(rollouts.canary());
    await renderRollout(api);
    await afterSomePolls();
    expect(api.getRollout).toHaveBeenCalledTimes(1);
  });
});

describe('RolloutContent: rolling out a new version', () => {
  it('plans with a dry run, applies the same request without it, then follows the cluster to the canary', async () => {
    const planned = [
      isvcUpdate([
        {
          path: 'spec.predictor.model.storageUri',
          before: 'gs://kfserving-examples/models/sklearn/1.0/model',
          after: V2,
        },
        { path: 'spec.predictor.canaryTrafficPercent', after: 20 },
      ]),
    ];
    const api = withRollout(
      rollouts.stable(),
      rollouts.progressing(),
      rollouts.canary(20),
    );
    api.changeRollout.mockImplementation(async (_model, _op, options) =>
      options?.dryRun
        ? result(rollouts.stable(), true, planned)
        : // The write's answer: KServe has not acted yet.
          result(rollouts.stable(), false, planned),
    );
    await renderRollout(api);
    const dialog = await openDialog('Roll out a new version');
    expect(dialog).toHaveAccessibleName(
      'Roll out a new version of sklearn-iris',
    );
    expect(within(dialog).getByLabelText('Storage URI')).toHaveValue('');
    expect(
      within(dialog).getByLabelText('Initial share of traffic (%)'),
    ).toHaveValue('10');

    await userEvent.type(within(dialog).getByLabelText('Storage URI'), V2);
    await replaceText(dialog, 'Initial share of traffic (%)', '20');
    await userEvent.type(within(dialog).getByLabelText('CPU request'), '500m');
    await clickIn(dialog, 'Review');

    const request = {
      action: 'start',
      version: {
        storageUri: V2,
        resources: { requests: { cpu: '500m' } },
        canaryTrafficPercent: 20,
      },
    };
    expect(
      await within(dialog).findByRole('listitem', {
        name: 'InferenceService tenant-a/sklearn-iris: Will change',
      }),
    ).toBeInTheDocument();
    expect(api.changeRollout).toHaveBeenCalledTimes(1);
    expect(api.changeRollout).toHaveBeenLastCalledWith(iris, request, {
      dryRun: true,
    });
    expect(dialog).toHaveTextContent(
      'The new version gets 20 % of the traffic once it is Ready; sklearn-iris-predictor-00001 keeps 80 %.',
    );
    expect(within(dialog).getByText(V2)).toBeInTheDocument();

    await applyReviewed(dialog, api, request);
    expect(api.changeRollout).toHaveBeenCalledTimes(2);

    // The write answered the old state: the tab keeps reading until the new version shows.
    await waitFor(() =>
      expect(
        screen.getByRole('status', { name: 'Rollout phase' }),
      ).toHaveTextContent('Canary'),
    );
    expect(versionRows().map(row => row[2])).toEqual(['80 %', '20 %']);
    const reads = api.getRollout.mock.calls.length;
    await afterSomePolls();
    expect(api.getRollout).toHaveBeenCalledTimes(reads);
  });

  it('says what is missing without calling the backend', async () => {
    const api = withRollout(rollouts.stable());
    await renderRollout(api);
    const dialog = await openDialog('Roll out a new version');
    await replaceText(dialog, 'Initial share of traffic (%)', '100');
    await clickIn(dialog, 'Review');
    expect(
      within(dialog).getByText('required unless you change the resources'),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Storage URI')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(
      within(dialog).getByText('must be between 1 and 99'),
    ).toBeInTheDocument();
    expect(api.changeRollout).not.toHaveBeenCalled();
  });

  it('shows the field errors of a 400 at their fields, with no panel for them', async () => {
    const api = withRollout(rollouts.stable());
    api.changeRollout.mockRejectedValue(
      await responseError(400, {
        name: 'InputError',
        message:
          'Invalid request: resources.requests.cpu: must not be more than the cpu limit (1)',
        fields: [
          {
            field: 'resources.requests.cpu',
            message: 'must not be more than the cpu limit (1)',
          },
        ],
      }),
    );
    await renderRollout(api);
    const dialog = await openDialog('Roll out a new version');
    await userEvent.type(within(dialog).getByLabelText('Storage URI'), V2);
    await userEvent.type(within(dialog).getByLabelText('CPU request'), '2');
    await clickIn(dialog, 'Review');
    expect(
      await within(dialog).findByText(
        'must not be more than the cpu limit (1)',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText('CPU request')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    expect(api.changeRollout).toHaveBeenCalledWith(
      iris,
      expect.objectContaining({ action: 'start' }),
      { dryRun: true },
    );
  });

  it('shows a 409 in an error panel above the form', async () => {
    const api = withRollout(rollouts.stable());
    api.changeRollout.mockRejectedValue(
      await responseError(409, {
        name: 'ConflictError',
        message:
          "A change of 'sklearn-iris' is still in progress: KServe has not acted on the latest change yet.",
      }),
    );
    await renderRollout(api);
    const dialog = await openDialog('Roll out a new version');
    await userEvent.type(within(dialog).getByLabelText('Storage URI'), V2);
    await clickIn(dialog, 'Review');
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(
      'The backend refused this rollout (409 Conflict)',
    );
    expect(alert).toHaveTextContent('is still in progress');
    expect(within(dialog).getByLabelText('Storage URI')).toHaveValue(V2);
  });
});

describe('RolloutContent: promote, roll back, change share', () => {
  it('promotes after reviewing the dry run, then shows the new version at 100 %', async () => {
    const api = withRollout(rollouts.canary(), rollouts.promoted());
    api.changeRollout.mockImplementation(async (_model, _op, options) =>
      result(rollouts.canary(), Boolean(options?.dryRun), [
        isvcUpdate([
          { path: 'spec.predictor.canaryTrafficPercent', before: 20 },
        ]),
      ]),
    );
    await renderRollout(api);
    await waitFor(() => expect(button('Promote')).toBeEnabled());
    const dialog = await openDialog('Promote');
    expect(dialog).toHaveAccessibleName('Promote sklearn-iris-predictor-00002');
    expect(
      await within(dialog).findByRole('listitem', {
        name: 'InferenceService tenant-a/sklearn-iris: Will change',
      }),
    ).toBeInTheDocument();
    expect(dialog).toHaveTextContent(
      'All traffic goes to the new version, sklearn-iris-predictor-00002. The previous version, sklearn-iris-predictor-00001, gets none.',
    );
    expect(api.changeRollout).toHaveBeenCalledWith(
      iris,
      { action: 'promote' },
      { dryRun: true },
    );
    await applyReviewed(dialog, api, { action: 'promote' });
    await waitFor(() =>
      expect(versionRows()).toEqual([
        ['Current', 'sklearn-iris-predictor-00002', '100 %', 'Ready', ''],
      ]),
    );
  });

  it('says a roll back sends all traffic to the previous version, and keeps the dialog open when it fails', async () => {
    const api = withRollout(rollouts.canary());
    api.changeRollout.mockImplementation(async (_model, _op, options) => {
      if (options?.dryRun) return result(rollouts.canary(), true);
      throw await responseError(409, {
        name: 'ConflictError',
        message: "'sklearn-iris' is already rolled back",
      });
    });
    await renderRollout(api);
    await waitFor(() => expect(button('Roll back')).toBeEnabled());
    const dialog = await openDialog('Roll back');
    expect(dialog).toHaveAccessibleName('Roll back sklearn-iris');
    await within(dialog).findByRole('list', { name: 'Object changes' });
    expect(dialog).toHaveTextContent(
      'All traffic goes back to the previous version, sklearn-iris-predictor-00001. The new version, sklearn-iris-predictor-00002, gets none.',
    );
    expect(api.changeRollout).toHaveBeenCalledWith(
      iris,
      { action: 'rollback' },
      { dryRun: true },
    );
    await clickIn(dialog, 'Apply');
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(
      'The change was not applied (409 Conflict)',
    );
    expect(alert).toHaveTextContent('already rolled back');
  });

  it('changes the share through a review, and refuses a share outside 1-99 at the field', async () => {
    const api = withRollout(rollouts.canary(), {
      ...rollouts.canary(50),
      canaryTrafficPercent: 50,
    });
    api.changeRollout.mockImplementation(async (_model, _op, options) =>
      result(rollouts.canary(), Boolean(options?.dryRun)),
    );
    await renderRollout(api);
    await waitFor(() => expect(button('Change share')).toBeEnabled());
    const dialog = await openDialog('Change share');
    expect(within(dialog).getByLabelText('Share of traffic (%)')).toHaveValue(
      '20',
    );
    await replaceText(dialog, 'Share of traffic (%)', '0');
    await clickIn(dialog, 'Review');
    expect(
      within(dialog).getByText('must be between 1 and 99'),
    ).toBeInTheDocument();
    expect(api.changeRollout).not.toHaveBeenCalled();

    await replaceText(dialog, 'Share of traffic (%)', '50');
    await clickIn(dialog, 'Review');
    await within(dialog).findByRole('list', { name: 'Object changes' });
    expect(dialog).toHaveTextContent(
      'The new version, sklearn-iris-predictor-00002, gets 50 % of the traffic; sklearn-iris-predictor-00001 gets 50 %.',
    );
    expect(api.changeRollout).toHaveBeenLastCalledWith(
      iris,
      { action: 'traffic', canaryTrafficPercent: 50 },
      { dryRun: true },
    );
    await applyReviewed(dialog, api, {
      action: 'traffic',
      canaryTrafficPercent: 50,
    });
  });
});

describe('RolloutContent: figures per version and the automatic roll back', () => {
  const usage = (requests: number, errors: number) => ({
    window: '5m' as const,
    requests,
    errors,
    errorRatePercent: requests
      ? Math.round((errors / requests) * 1000) / 10
      : null,
    latencyMs: requests ? { p50: 4.2, p95: 12 } : { p50: null, p95: null },
  });
  const settings = {
    errorRatePercent: 20,
    window: '5m',
    minRequests: 20,
  } as const;

  it("shows each version's requests, error rate and latency, and the roll back asked for", async () => {
    const canary = rollouts.canary(50);
    await renderRollout(
      withRollout({
        ...canary,
        autoRollback: settings,
        stable: { ...canary.stable!, usage: usage(96, 0) },
        candidate: { ...canary.candidate!, usage: usage(0, 0) },
      }),
    );
    expect(versionRows()).toEqual([
      [
        'Stable',
        'sklearn-iris-predictor-00001',
        '50 %',
        'Ready',
        '96',
        '0 %',
        '4.2 ms / 12 ms',
        '',
      ],
      // No requests yet: no rate and no latency, rather than a misleading 0.
      [
        'New',
        'sklearn-iris-predictor-00002',
        '50 %',
        'Ready',
        '0',
        '–',
        '– / –',
        '',
      ],
    ]);
    expect(
      screen.getByText(
        /over the last 5 minutes, as fresh as Prometheus' last scrape/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('note', { name: 'Automatic roll back' }),
    ).toHaveTextContent(
      "Rolls back automatically if more than 20 % of the new version's requests fail over the last 5 minutes, once it has had at least 20 requests there.",
    );
    expect(screen.queryByRole('note', { name: 'Figures' })).toBeNull();
  });

  it("keeps a settled canary's figures current, and stops reading once it has none", async () => {
    const canary = rollouts.canary();
    const withFigures = (requests: number) => ({
      ...canary,
      stable: { ...canary.stable!, usage: usage(requests, 0) },
      candidate: { ...canary.candidate!, usage: usage(requests / 2, 0) },
    });
    const api = withRollout(withFigures(10), withFigures(40), canary);
    await renderRollout(api);
    // Settled all along (the share is what was asked for); only the figures move.
    await waitFor(() => expect(versionRows()[0][4]).toBe('40'));
    expect(versionRows()[1][4]).toBe('20');
    // Not a change under way: no spinner, one quiet line.
    expect(
      screen.getByText(
        'Figures read again every few seconds while the canary runs',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/while the change is under way/),
    ).not.toBeInTheDocument();
    // The figures went (Prometheus unreadable, say): nothing left that moves by itself.
    await waitFor(() =>
      expect(
        screen.queryByRole('columnheader', { name: 'Requests' }),
      ).toBeNull(),
    );
    const reads = api.getRollout.mock.calls.length;
    await new Promise(r => setTimeout(r, POLL_MS * 10));
    expect(api.getRollout).toHaveBeenCalledTimes(reads);
  });

  it('says in one quiet line that usage is not configured, and keeps the table as it was', async () => {
    await renderRollout(
      withRollout({
        ...rollouts.canary(),
        usageUnavailable: {
          code: 'notConfigured',
          message: 'Usage is not configured (inference.usage.prometheusUrl)',
        },
      }),
    );
    expect(screen.getByRole('note', { name: 'Figures' })).toHaveTextContent(
      'No figures per version: usage is not configured for the portal.',
    );
    expect(versionRows()[0]).toHaveLength(5);
  });

  it('says why the figures are missing when Prometheus could not be read', async () => {
    await renderRollout(
      withRollout({
        ...rollouts.canary(),
        usageUnavailable: {
          code: 'unavailable',
          message:
            'Usage figures are unavailable: Prometheus (prometheus) refused the connection',
        },
      }),
    );
    expect(screen.getByRole('note', { name: 'Figures' })).toHaveTextContent(
      'No figures per version right now: Usage figures are unavailable: Prometheus (prometheus) refused the connection',
    );
  });

  it('shows an automatic roll back that happened, with its reason', async () => {
    await renderRollout(
      withRollout({
        ...rollouts.rolledBack(),
        automaticRollback: {
          at: '2026-12-04T04:00:00.000Z',
          actor: 'plugin:inference',
          reason:
            "rolled back automatically: the new version's error rate was 100 % (40 of 40 requests answered 5xx) over the last 5m, above the threshold of 20 %; all traffic to the previous version",
        },
      }),
    );
    expect(
      screen.getByRole('note', { name: 'Rolled back automatically' }),
    ).toHaveTextContent(
      "the new version's error rate was 100 % (40 of 40 requests answered 5xx) over the last 5m, above the threshold of 20 %",
    );
  });

  it('starts a rollout with an automatic roll back: validated at its fields, then in the review', async () => {
    const api = withRollout(rollouts.stable());
    api.changeRollout.mockImplementation(async (_model, _op, options) =>
      result(rollouts.stable(), Boolean(options?.dryRun)),
    );
    await renderRollout(api);
    const dialog = await openDialog('Roll out a new version');
    await userEvent.type(within(dialog).getByLabelText('Storage URI'), V2);
    expect(within(dialog).queryByLabelText('Error rate above (%)')).toBeNull();
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'Roll back automatically' }),
    );
    await replaceText(dialog, 'Error rate above (%)', '0');
    await replaceText(dialog, 'With at least (requests)', 'many');
    await clickIn(dialog, 'Review');
    expect(
      within(dialog).getByText('must be between 1 and 100'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('must be a number')).toBeInTheDocument();
    expect(api.changeRollout).not.toHaveBeenCalled();

    await replaceText(dialog, 'Error rate above (%)', '20');
    await replaceText(dialog, 'With at least (requests)', '50');
    await userEvent.selectOptions(
      within(dialog).getByLabelText('Over the last'),
      '15m',
    );
    await clickIn(dialog, 'Review');
    const request = {
      action: 'start',
      version: {
        storageUri: V2,
        canaryTrafficPercent: 10,
        autoRollback: { errorRatePercent: 20, window: '15m', minRequests: 50 },
      },
    };
    await waitFor(() =>
      expect(api.changeRollout).toHaveBeenLastCalledWith(iris, request, {
        dryRun: true,
      }),
    );
    expect(
      await within(dialog).findByText(
        /It is rolled back automatically if more than 20 % of its requests fail \(5xx\) over the last 15m, once it has had at least 50 requests there\./,
      ),
    ).toBeInTheDocument();
    await applyReviewed(dialog, api, request);
  });

  it('offers the automatic roll back disabled, saying why, when usage is not configured', async () => {
    const api = withRollout({
      ...rollouts.stable(),
      usageUnavailable: { code: 'notConfigured', message: 'not configured' },
    });
    api.changeRollout.mockImplementation(async (_model, _op, options) =>
      result(rollouts.stable(), Boolean(options?.dryRun)),
    );
    await renderRollout(api);
    const dialog = await openDialog('Roll out a new version');
    const checkbox = within(dialog).getByRole('checkbox', {
      name: 'Roll back automatically',
    });
    expect(checkbox).toBeDisabled();
    expect(dialog).toHaveTextContent(
      'Needs usage figures: no Prometheus is configured for the portal.',
    );
    await userEvent.type(within(dialog).getByLabelText('Storage URI'), V2);
    await clickIn(dialog, 'Review');
    await waitFor(() =>
      expect(api.changeRollout).toHaveBeenLastCalledWith(
        iris,
        {
          action: 'start',
          version: { storageUri: V2, canaryTrafficPercent: 10 },
        },
        { dryRun: true },
      ),
    );
  });
});
