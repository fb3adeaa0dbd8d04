import { screen } from '@testing-library/react';
import { inferenceAdminPermission } from '@inference-in-a-box/backstage-plugin-inference-common';
import { EndpointContent } from './components/EndpointContent';
import { RolloutContent } from './components/RolloutContent';
import { TestConsoleContent } from './components/TestConsoleContent';
import { fakeInferenceApi } from './__testUtils__/fakeInferenceApi';
import { publication, rollouts } from './__testUtils__/fixtures';
import { renderForModel, renderInferencePage } from './__testUtils__/render';

/** The button is disabled and described by the reason the user may not use it. */
async function expectDenied(name: string, reason: string) {
  const button = await screen.findByRole('button', { name });
  expect(button).toBeDisabled();
  expect(button).toHaveAccessibleDescription(reason);
}

// A file of its own: usePermission caches decisions per permission and resource for the module's
// lifetime, so denials must not share a module registry with tests that are allowed everything.
describe('actions the user may not take', () => {
  it.each([
    [
      'Publish',
      <EndpointContent />,
      'You do not have permission to publish this model (inference.model.publish in tenant namespace tenant-a).',
    ],
    [
      'Send',
      <TestConsoleContent />,
      'You do not have permission to test this model (inference.model.test in tenant namespace tenant-a).',
    ],
  ])('disables %s with the reason', async (name, element, reason) => {
    await renderForModel(element, { api: fakeInferenceApi(), allow: false });
    await expectDenied(name, reason);
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
    await expectDenied(
      'Create key',
      "You do not have permission to manage this model's API keys (inference.model.keys.manage in tenant namespace tenant-a).",
    );
    expect(screen.getByRole('button', { name: 'Rotate ci' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Revoke ci' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Unpublish' })).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Update publication' }),
    ).toBeDisabled();
  });

  it('disables every rollout operation with the reason, and still shows the split', async () => {
    const api = fakeInferenceApi({
      getRollout: jest.fn(async () => rollouts.canary()),
    });
    await renderForModel(<RolloutContent />, { api, allow: false });
    const reason =
      'You do not have permission to change this model (inference.model.update in tenant namespace tenant-a).';
    await expectDenied('Roll out a new version', reason);
    for (const name of ['Change share', 'Promote', 'Roll back']) {
      await expectDenied(name, reason);
    }
    expect(screen.getByRole('table', { name: 'Versions' })).toBeInTheDocument();
  });

  it('leaves the Platform tab out for users who are not platform admins, even at its URL', async () => {
    const api = fakeInferenceApi();
    const { authorize } = await renderInferencePage({
      route: '/platform',
      admin: false,
      api,
    });
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({
          name: inferenceAdminPermission.name,
        }),
      }),
    );
    expect(screen.getAllByRole('tab').map(tab => tab.textContent)).toEqual([
      'Models',
      'Tenants',
      'Publications',
    ]);
    expect(api.getPlatformOverview).not.toHaveBeenCalled();
  });
});
