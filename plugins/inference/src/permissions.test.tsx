import { screen } from '@testing-library/react';
import { EndpointContent } from './components/Endpoint';
import { TestConsoleContent } from './components/TestConsole';
import { fakeInferenceApi } from './__testUtils__/fakeInferenceApi';
import { publication } from './__testUtils__/fixtures';
import { renderForModel } from './__testUtils__/renderForModel';

// A file of its own: usePermission caches decisions per permission and resource for the module's
// lifetime, so denials must not share a module registry with tests that are allowed everything.
describe('actions the user may not take', () => {
  it('disables Publish with the reason', async () => {
    await renderForModel(<EndpointContent />, {
      api: fakeInferenceApi(),
      allow: false,
    });
    const button = await screen.findByRole('button', { name: 'Publish' });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(
      'You do not have permission to publish this model (inference.model.publish in tenant namespace tenant-a).',
    );
  });

  it('disables key management, Update publication and Unpublish with the reason', async () => {
    const api = fakeInferenceApi({
      getPublication: jest.fn(async () =>
        publication({
          apiKeys: [
            {
              id: 'key-0123456789ab',
              name: 'ci',
              createdAt: '2026-01-01T00:00:00Z',
              last4: 'wxyz',
            },
          ],
        }),
      ),
    });
    await renderForModel(<EndpointContent />, { api, allow: false });
    const create = await screen.findByRole('button', { name: 'Create key' });
    expect(create).toBeDisabled();
    expect(create).toHaveAccessibleDescription(
      "You do not have permission to manage this model's API keys (inference.model.keys.manage in tenant namespace tenant-a).",
    );
    expect(screen.getByRole('button', { name: 'Rotate ci' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Revoke ci' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Unpublish' })).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Update publication' }),
    ).toBeDisabled();
  });

  it('disables Send with the reason', async () => {
    await renderForModel(<TestConsoleContent />, {
      api: fakeInferenceApi(),
      allow: false,
    });
    const send = await screen.findByRole('button', { name: 'Send' });
    expect(send).toBeDisabled();
    expect(send).toHaveAccessibleDescription(
      'You do not have permission to test this model (inference.model.test in tenant namespace tenant-a).',
    );
  });
});
