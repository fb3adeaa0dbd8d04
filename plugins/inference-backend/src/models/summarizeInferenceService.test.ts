import { summarizeInferenceService } from './summarizeInferenceService';
import { InferenceServiceObject } from './types';

function isvc(
  status?: InferenceServiceObject['status'],
  extra: {
    generation?: number;
    minReplicas?: number;
    maxReplicas?: number;
  } = {},
): InferenceServiceObject {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: 'iris',
      namespace: 'tenant-a',
      generation: extra.generation,
    },
    spec: {
      predictor: {
        minReplicas: extra.minReplicas,
        maxReplicas: extra.maxReplicas,
        model: { modelFormat: { name: 'sklearn' } },
      },
    },
    ...(status ? { status } : {}),
  };
}

const readyConditions = [
  { type: 'IngressReady', status: 'True' },
  { type: 'PredictorReady', status: 'True' },
  { type: 'Ready', status: 'True', lastTransitionTime: '2026-11-20T10:00:00Z' },
];

describe('summarizeInferenceService', () => {
  it('reports a ready model with its URL and replicas', () => {
    expect(
      summarizeInferenceService(
        isvc(
          {
            url: 'http://iris.tenant-a.example.com',
            conditions: readyConditions,
            observedGeneration: 2,
          },
          { generation: 2, minReplicas: 1, maxReplicas: 3 },
        ),
        { ready: 2, desired: 2 },
      ),
    ).toEqual({
      ready: true,
      url: 'http://iris.tenant-a.example.com',
      replicas: { min: 1, max: 3, ready: 2, desired: 2 },
      conditions: [
        { type: 'IngressReady', status: 'True' },
        { type: 'PredictorReady', status: 'True' },
        {
          type: 'Ready',
          status: 'True',
          lastTransitionTime: '2026-11-20T10:00:00Z',
        },
      ],
    });
  });

  it('explains a model that is not ready with the failing component', () => {
    const status = summarizeInferenceService(
      isvc({
        conditions: [
          {
            type: 'PredictorReady',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
          { type: 'Ready', status: 'False', reason: 'PredictorNotReady' },
        ],
      }),
    );
    expect(status).toMatchObject({
      ready: false,
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    });
  });

  it('prefers the model load failure when KServe reports one', () => {
    const status = summarizeInferenceService(
      isvc({
        conditions: [
          { type: 'Ready', status: 'False', reason: 'PredictorNotReady' },
        ],
        modelStatus: {
          transitionStatus: 'BlockedByFailedLoad',
          lastFailureInfo: {
            reason: 'ModelLoadFailed',
            message: 'storage URI not found',
          },
        },
      }),
    );
    expect(status).toMatchObject({
      ready: false,
      reason: 'ModelLoadFailed',
      message: 'storage URI not found',
    });
  });

  it('is pending without status and reconciling when the status is for an older spec', () => {
    expect(summarizeInferenceService(isvc())).toMatchObject({
      ready: false,
      reason: 'Pending',
    });
    expect(
      summarizeInferenceService(
        isvc(
          { conditions: readyConditions, observedGeneration: 1 },
          { generation: 2 },
        ),
      ),
    ).toMatchObject({ ready: false, reason: 'Reconciling' });
  });

  it('uses the address URL when there is no public URL', () => {
    expect(
      summarizeInferenceService(
        isvc({
          address: { url: 'http://iris-predictor.tenant-a.svc.cluster.local' },
          conditions: readyConditions,
        }),
      ).url,
    ).toBe('http://iris-predictor.tenant-a.svc.cluster.local');
  });

  it('defaults replica bounds like KServe and omits unknown counts', () => {
    expect(
      summarizeInferenceService(isvc({ conditions: readyConditions })).replicas,
    ).toEqual({
      min: 1,
      max: 1,
    });
    expect(
      summarizeInferenceService(
        isvc(
          { conditions: readyConditions },
          { minReplicas: 0, maxReplicas: 4 },
        ),
      ).replicas,
    ).toEqual({ min: 0, max: 4 });
  });

  it('maps unexpected condition statuses to Unknown', () => {
    const status = summarizeInferenceService(
      isvc({ conditions: [{ type: 'Ready', status: 'Maybe' }] }),
    );
    expect(status.conditions[0].status).toBe('Unknown');
    expect(status.ready).toBe(false);
  });
});
