import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  PublicationSummary,
  PublishResult,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  apiFailing,
  fakeInferenceApi,
} from '../../__testUtils__/fakeInferenceApi';
import { modelEntity, publication } from '../../__testUtils__/fixtures';
import { renderForModel } from '../../__testUtils__/render';
import {
  requestsPerMinuteTooHigh,
  responseError,
} from '../../__testUtils__/responseError';
import {
  clickIn,
  openDialog,
  replaceText,
} from '../../__testUtils__/userActions';
import { EndpointContent } from './EndpointContent';

const iris = { cluster: 'local', namespace: 'tenant-a', name: 'sklearn-iris' };
const planned: PublishResult['changes'] = [
  {
    action: 'create',
    apiVersion: 'v1',
    kind: 'Secret',
    namespace: 'tenant-a',
    name: 'sklearn-iris-api-keys',
    fieldChanges: [],
  },
  {
    action: 'create',
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    namespace: 'tenant-a',
    name: 'sklearn-iris',
    fieldChanges: [],
  },
];

/** Renders the Endpoint tab of sklearn-iris (unless said otherwise) and opens the Publish dialog. */
async function openPublishDialog(
  api: ReturnType<typeof fakeInferenceApi>,
  entity = modelEntity('sklearn-iris'),
) {
  await renderForModel(<EndpointContent />, { api, entity });
  return openDialog('Publish');
}

describe('EndpointContent: publishing', () => {
  it('publishes through form, dry-run review and apply, then shows the endpoint', async () => {
    let published: PublicationSummary | undefined;
    const api = fakeInferenceApi({
      getPublication: jest.fn(async () => published),
      publish: jest.fn(async (_model, _request, options) => {
        if (options?.dryRun) return { dryRun: true, changes: planned };
        published = publication();
        return { dryRun: false, changes: planned, publication: published };
      }),
    });
    const dialog = await openPublishDialog(api);
    expect(within(dialog).getByLabelText('Requests per minute')).toHaveValue(
      '60',
    );
    expect(within(dialog).getByLabelText('Requests per hour')).toHaveValue(
      '3600',
    );
    // A predictive model: no token limit to offer, and its own name is its public name.
    expect(
      within(dialog).queryByLabelText('Tokens per hour'),
    ).not.toBeInTheDocument();
    expect(within(dialog).getByLabelText(/Public model name/)).toBeDisabled();

    await clickIn(dialog, 'Review');
    expect(
      await within(dialog).findByText(
        /2 to create, 0 to change, 0 to delete, 0 unchanged/,
      ),
    ).toBeInTheDocument();
    expect(api.publish).toHaveBeenLastCalledWith(
      iris,
      {
        publicModelName: 'sklearn-iris',
        auth: { apiKey: true, jwt: false },
        limits: { requestsPerMinute: 60, requestsPerHour: 3600 },
      },
      { dryRun: true },
    );

    await clickIn(dialog, 'Apply');
    expect(await within(dialog).findByText('Published')).toBeInTheDocument();
    expect(api.publish).toHaveBeenCalledTimes(2);
    expect(api.publish.mock.calls[1]).toHaveLength(2);
    await clickIn(dialog, 'Close');

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(screen.getByLabelText('Endpoint URL')).toHaveTextContent(
      'https://api.router.inference-in-a-box/models/tenant-a/sklearn-iris',
    );
    expect(screen.getByRole('button', { name: 'Create key' })).toBeEnabled();
  });

  it.each([
    ['Requests per minute', '0', 'must be between 1 and 10,000'],
    ['Requests per hour', '30', 'must not be more than the requests per hour'],
  ])(
    'refuses %s = %s with the backend schema message, without calling it',
    async (label, value, message) => {
      const api = fakeInferenceApi();
      const dialog = await openPublishDialog(api);
      await replaceText(dialog, label, value);
      await clickIn(dialog, 'Review');
      expect(within(dialog).getByText(message)).toBeInTheDocument();
      expect(api.publish).not.toHaveBeenCalled();
    },
  );

  it('refuses a bad public model name for an OpenAI model', async () => {
    const api = fakeInferenceApi();
    const dialog = await openPublishDialog(
      api,
      modelEntity('qwen-chat', {
        modelType: 'openai',
        framework: 'huggingface',
      }),
    );
    await replaceText(dialog, /Public model name/, 'Qwen_Chat');
    await clickIn(dialog, 'Review');
    expect(
      within(dialog).getByText(
        "must consist of lowercase letters, digits, '-' and '.', and start and end with a letter or digit",
      ),
    ).toBeInTheDocument();
    expect(api.publish).not.toHaveBeenCalled();
  });
});

describe('EndpointContent: what the backend refuses', () => {
  it('shows what the backend says about a hostname it does not allow at the hostname field', async () => {
    const api = apiFailing(
      'publish',
      400,
      'Invalid publication: hostname: models.evil.example is not one of the allowed hostnames',
    );
    const dialog = await openPublishDialog(api);
    await userEvent.type(
      within(dialog).getByLabelText('Hostname'),
      'models.evil.example',
    );
    await clickIn(dialog, 'Review');
    const hostname = within(dialog).getByLabelText('Hostname');
    expect(
      await within(dialog).findByText(
        'models.evil.example is not one of the allowed hostnames',
      ),
    ).toBeInTheDocument();
    expect(hostname).toHaveAttribute('aria-invalid', 'true');
    // Everything the error said is at the field: no duplicate panel.
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows field errors from a validation error body at their fields, and other errors above the form', async () => {
    const api = fakeInferenceApi({
      publish: jest
        .fn()
        .mockRejectedValueOnce(await requestsPerMinuteTooHigh())
        .mockRejectedValueOnce(
          await responseError(403, {
            name: 'NotAllowedError',
            message: 'Not allowed to publish',
          }),
        ),
    });
    const dialog = await openPublishDialog(api);
    await clickIn(dialog, 'Review');
    expect(
      await within(dialog).findByText('must be at most 5,000 on this platform'),
    ).toBeInTheDocument();
    await clickIn(dialog, 'Review');
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('403 Forbidden');
    expect(alert).toHaveTextContent('Not allowed to publish');
  });

  it('keeps the planned objects and says nothing was applied when apply fails', async () => {
    const api = fakeInferenceApi({
      publish: jest.fn(async (_model, _request, options) => {
        if (options?.dryRun) return { dryRun: true, changes: planned };
        throw await responseError(422, {
          name: 'ClusterRejectedError',
          message: 'HTTPRoute tenant-a/sklearn-iris was rejected',
          causes: [{ field: 'spec.rules[0]', message: 'too many matches' }],
        });
      }),
    });
    const dialog = await openPublishDialog(api);
    await clickIn(dialog, 'Review');
    await clickIn(dialog, 'Apply');
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(
      'HTTPRoute tenant-a/sklearn-iris was rejected',
    );
    expect(alert).toHaveTextContent('spec.rules[0]: too many matches');
    expect(within(dialog).getAllByText('Not applied')).toHaveLength(2);
    expect(within(dialog).getByRole('button', { name: 'Retry' })).toBeEnabled();
  });

  it('shows the backend error when the publication cannot be read', async () => {
    const api = apiFailing('getPublication', 403, 'You may not read tenant-a');
    await renderForModel(<EndpointContent />, { api });
    expect(
      await screen.findByText('You may not read tenant-a'),
    ).toBeInTheDocument();
  });
});
