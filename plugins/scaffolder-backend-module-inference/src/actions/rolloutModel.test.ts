import type { RolloutResult } from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  actionContext,
  mockScaffolderAuth,
} from '@internal/inference-test-utils';
import { backendError, fakeInferenceApi } from '../__testUtils__/fakes';
import { rolloutModelAction } from './rolloutModel';

const model = { cluster: 'local', namespace: 'tenant-a', name: 'iris' };
const start = {
  action: 'start' as const,
  version: { storageUri: 'gs://models/iris/v2', canaryTrafficPercent: 10 },
};
const result = (dryRun: boolean): RolloutResult => ({
  dryRun,
  changes: [
    {
      action: 'update',
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      namespace: 'tenant-a',
      name: 'iris',
      fieldChanges: [],
    } as never,
  ],
  rollout: {
    model,
    deploymentMode: 'Knative',
    supported: true,
    phase: dryRun ? 'stable' : 'progressing',
    explanation: dryRun
      ? 'iris-predictor-00001 serves all traffic.'
      : 'starting',
  },
});

describe('inference:model:rollout', () => {
  it('starts a rollout as the user and outputs the phase and the changes', async () => {
    const api = fakeInferenceApi({ changeRollout: async () => result(false) });
    const ctx = actionContext({ model, operation: start });
    await rolloutModelAction({ api, auth: mockScaffolderAuth() }).handler(
      ctx as never,
    );
    expect(api.changeRollout).toHaveBeenCalledWith(model, start, {
      token: expect.any(String),
    });
    expect(ctx.output).toHaveBeenCalledWith('phase', 'progressing');
    expect(ctx.output).toHaveBeenCalledWith('changes', [
      'update InferenceService tenant-a/iris',
    ]);
  });

  it('only plans in a dry run', async () => {
    const api = fakeInferenceApi({ changeRollout: async () => result(true) });
    const ctx = actionContext(
      { model, operation: { action: 'promote' } },
      { dryRun: true },
    );
    await rolloutModelAction({ api, auth: mockScaffolderAuth() }).handler(
      ctx as never,
    );
    expect(api.changeRollout).toHaveBeenCalledWith(
      model,
      { action: 'promote' },
      { token: expect.any(String), dryRun: true },
    );
    expect(ctx.output).toHaveBeenCalledWith('phase', 'stable');
  });

  it("fails with the backend's reason when the rollout's state does not allow it", async () => {
    const api = fakeInferenceApi({
      changeRollout: async () => {
        throw await backendError(
          409,
          'ConflictError',
          "There is no new version of 'iris' to be promoted",
        );
      },
    });
    const ctx = actionContext({ model, operation: { action: 'promote' } });
    await expect(
      rolloutModelAction({ api, auth: mockScaffolderAuth() }).handler(
        ctx as never,
      ),
    ).rejects.toThrow(
      "Rollout 'promote' of model 'iris' in tenant-a: There is no new version of 'iris' to be promoted",
    );
  });
});
