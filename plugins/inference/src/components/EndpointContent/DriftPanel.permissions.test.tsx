import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  inferenceModelPublishPermission,
  inferenceModelReadPermission,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { fakeInferenceApi } from '../../__testUtils__/fakeInferenceApi';
import { publication, rateLimitDrift } from '../../__testUtils__/fixtures';
import { renderForModel } from '../../__testUtils__/render';
import { EndpointContent } from './EndpointContent';

// A file of its own: usePermission caches decisions per permission and resource for the module's
// lifetime, and here read is allowed while publish is not.
describe('EndpointContent: drift without the publish permission', () => {
  it('disables Reconcile with the reason but still lets the user check', async () => {
    const api = fakeInferenceApi({
      getPublication: jest.fn(async () =>
        publication({ state: 'drifted', drift: rateLimitDrift() }),
      ),
      checkPublicationDrift: jest.fn(async () => rateLimitDrift()),
    });
    await renderForModel(<EndpointContent />, {
      api,
      allow: name => name === inferenceModelReadPermission.name,
    });
    const warning = await screen.findByRole('region', {
      name: 'Changed outside the portal',
    });
    const reconcile = within(warning).getByRole('button', {
      name: 'Reconcile',
    });
    await waitFor(() =>
      expect(reconcile).toHaveAccessibleDescription(
        `You do not have permission to publish this model (${inferenceModelPublishPermission.name} in tenant namespace tenant-a).`,
      ),
    );
    expect(reconcile).toBeDisabled();
    await userEvent.click(reconcile, { pointerEventsCheck: 0 });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.reconcilePublication).not.toHaveBeenCalled();

    const check = within(warning).getByRole('button', { name: 'Check now' });
    expect(check).toBeEnabled();
    await userEvent.click(check);
    await waitFor(() =>
      expect(api.checkPublicationDrift).toHaveBeenCalledTimes(1),
    );
  });
});
