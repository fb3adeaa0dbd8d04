import { knativeRolloutStatus as rolloutStatus } from './rolloutStatus';
import type { InferenceServiceObject, KubeCondition } from '../models/types';

const model = { cluster: 'local', namespace: 'tenant-a', name: 'iris' };
const rev = (n: number) => `iris-predictor-0000${n}`;

/** A Knative-mode InferenceService with the predictor status KServe v0.20.0 writes. */
function knative(options: {
  canaryTrafficPercent?: number;
  predictor: Record<string, unknown>;
  conditions?: KubeCondition[];
  generation?: number;
  observedGeneration?: number;
}): InferenceServiceObject {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: 'iris',
      namespace: 'tenant-a',
      generation: options.generation ?? 2,
      annotations: { 'serving.kserve.io/deploymentMode': 'Knative' },
    },
    spec: {
      predictor: {
        ...(options.canaryTrafficPercent !== undefined
          ? { canaryTrafficPercent: options.canaryTrafficPercent }
          : {}),
      },
    },
    status: {
      observedGeneration: options.observedGeneration ?? 2,
      deploymentMode: 'Serverless',
      conditions: options.conditions ?? [],
      components: { predictor: options.predictor },
    },
  } as InferenceServiceObject;
}

describe('rolloutStatus', () => {
  it('is stable with one revision at 100 %', () => {
    const status = rolloutStatus(
      model,
      knative({
        predictor: {
          latestCreatedRevision: rev(1),
          latestReadyRevision: rev(1),
          latestRolledoutRevision: rev(1),
          traffic: [
            { revisionName: rev(1), latestRevision: true, percent: 100 },
          ],
        },
      }),
    );
    expect(status).toMatchObject({
      supported: true,
      phase: 'stable',
      stable: { revision: rev(1), percent: 100, ready: true },
    });
    expect(status.candidate).toBeUndefined();
  });

  it('is a canary with the shares the cluster reports, not the ones asked for', () => {
    const status = rolloutStatus(
      model,
      knative({
        canaryTrafficPercent: 20,
        predictor: {
          latestCreatedRevision: rev(2),
          latestReadyRevision: rev(2),
          latestRolledoutRevision: rev(1),
          traffic: [
            { revisionName: rev(2), latestRevision: true, percent: 20 },
            { revisionName: rev(1), tag: 'prev', percent: 80 },
          ],
        },
      }),
    );
    expect(status).toMatchObject({
      phase: 'canary',
      canaryTrafficPercent: 20,
      stable: { revision: rev(1), percent: 80 },
      candidate: { revision: rev(2), percent: 20, ready: true },
    });
  });

  it('is failed with the reason when the new revision is not Ready, and traffic stays', () => {
    const status = rolloutStatus(
      model,
      knative({
        canaryTrafficPercent: 20,
        conditions: [
          { type: 'PredictorReady', status: 'False', reason: 'RevisionFailed' },
          {
            type: 'PredictorConfigurationReady',
            status: 'False',
            reason: 'RevisionFailed',
            message: 'Revision "iris-predictor-00002" failed: storage',
          },
        ],
        predictor: {
          latestCreatedRevision: rev(2),
          latestReadyRevision: rev(1),
          latestRolledoutRevision: rev(1),
          traffic: [
            { revisionName: rev(1), latestRevision: true, percent: 100 },
          ],
        },
      }),
    );
    expect(status).toMatchObject({
      phase: 'failed',
      stable: { revision: rev(1), percent: 100 },
      candidate: {
        revision: rev(2),
        percent: 0,
        ready: false,
        reason: 'RevisionFailed',
        message: 'Revision "iris-predictor-00002" failed: storage',
      },
    });
    expect(status.explanation).toContain('keeps 100 %');
  });

  it('is progressing while the new revision starts, or before KServe saw the change', () => {
    const starting = rolloutStatus(
      model,
      knative({
        canaryTrafficPercent: 20,
        conditions: [{ type: 'PredictorReady', status: 'Unknown' }],
        predictor: {
          latestCreatedRevision: rev(2),
          latestReadyRevision: rev(1),
          latestRolledoutRevision: rev(1),
        },
      }),
    );
    expect(starting.phase).toBe('progressing');
    const unseen = rolloutStatus(
      model,
      knative({
        generation: 3,
        observedGeneration: 2,
        predictor: {
          latestCreatedRevision: rev(1),
          latestReadyRevision: rev(1),
          latestRolledoutRevision: rev(1),
        },
      }),
    );
    expect(unseen.phase).toBe('progressing');
  });

  it('is rolled back at 0 %', () => {
    const status = rolloutStatus(
      model,
      knative({
        canaryTrafficPercent: 0,
        predictor: {
          latestCreatedRevision: rev(2),
          latestReadyRevision: rev(2),
          latestRolledoutRevision: rev(1),
          traffic: [
            { revisionName: rev(2), latestRevision: true, percent: 0 },
            { revisionName: rev(1), tag: 'prev', percent: 100 },
          ],
        },
      }),
    );
    expect(status).toMatchObject({
      phase: 'rolledBack',
      stable: { revision: rev(1), percent: 100 },
      candidate: { revision: rev(2), percent: 0 },
    });
  });
});
