import { screen, within } from '@testing-library/react';
import { fakeInferenceApi } from '../../__testUtils__/fakeInferenceApi';
import { liveModel, modelEntity } from '../../__testUtils__/fixtures';
import { renderForModel } from '../../__testUtils__/render';
import { failsWith } from '../../__testUtils__/responseError';
import { ModelStatusCard } from './ModelStatusCard';

describe('ModelStatusCard', () => {
  it('shows readiness, reason, URL, replicas and every condition', async () => {
    const model = liveModel('sklearn-iris', {
      ready: false,
      reason: 'MinimumReplicasUnavailable',
    });
    const api = fakeInferenceApi({
      getModel: jest.fn(async () => ({
        ...model,
        status: {
          ...model.status,
          message: 'Deployment does not have minimum availability.',
          url: 'http://sklearn-iris.tenant-a.example.com',
          replicas: { min: 1, max: 3, ready: 0, desired: 1 },
          conditions: [
            {
              type: 'PredictorReady',
              status: 'False' as const,
              reason: 'MinimumReplicasUnavailable',
            },
            { type: 'IngressReady', status: 'True' as const },
          ],
        },
        manifest: {},
      })),
    });
    await renderForModel(<ModelStatusCard />, { api });
    expect(await screen.findByText('Not ready')).toBeInTheDocument();
    expect(
      screen.getAllByText('MinimumReplicasUnavailable').length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByText('Deployment does not have minimum availability.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('http://sklearn-iris.tenant-a.example.com'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('0 ready of 1 (scales 1 to 3)'),
    ).toBeInTheDocument();
    const conditions = within(
      screen.getByRole('table', { name: 'Conditions' }),
    ).getAllByRole('row');
    expect(conditions).toHaveLength(3);
    expect(api.getModel).toHaveBeenCalledWith({
      cluster: 'local',
      namespace: 'tenant-a',
      name: 'sklearn-iris',
    });
  });

  it('says the model is not deployed when the cluster has no InferenceService', async () => {
    const api = fakeInferenceApi({
      getModel: failsWith(404, { name: 'NotFoundError', message: 'not found' }),
    });
    await renderForModel(<ModelStatusCard />, { api });
    expect(
      await screen.findByText(
        /Not deployed: there is no InferenceService sklearn-iris/,
      ),
    ).toBeInTheDocument();
  });

  it('explains what is missing on an entity without a cluster annotation', async () => {
    await renderForModel(<ModelStatusCard />, {
      api: fakeInferenceApi(),
      entity: modelEntity('x', { cluster: null }),
    });
    expect(
      await screen.findByText(/no inference.platform.io\/cluster annotation/),
    ).toBeInTheDocument();
  });
});
