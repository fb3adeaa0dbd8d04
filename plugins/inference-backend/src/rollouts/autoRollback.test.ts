import { createHash } from 'node:crypto';
import type {
  HistoryEntry,
  RolloutVersionUsage,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ANNOTATION_AUTO_ROLLBACK,
  decideAutoRollback,
  lastAutomaticRollback,
  readAutoRollback,
  withAutoRollback,
} from './autoRollback';
import { childName, predictorWorkload } from './predictorWorkload';

const settings = {
  errorRatePercent: 10,
  window: '5m',
  minRequests: 20,
} as const;

const figures = (
  requests: number,
  errors: number,
  window: RolloutVersionUsage['window'] = '5m',
): RolloutVersionUsage => ({
  window,
  requests,
  errors,
  errorRatePercent: requests ? (errors * 100) / requests : null,
  latencyMs: { p50: requests ? 3 : null, p95: requests ? 9 : null },
});

describe('the automatic roll back decision', () => {
  it('rolls back once the error rate exceeds the threshold with enough requests, and says why', () => {
    const decision = decideAutoRollback(settings, figures(40, 40));
    expect(decision).toEqual({
      rollBack: true,
      reason:
        "rolled back automatically: the new version's error rate was 100 % (40 of 40 requests answered 5xx) over the last 5m, above the threshold of 10 %; all traffic to the previous version",
    });
    expect(decideAutoRollback(settings, figures(20, 3)).rollBack).toBe(true);
  });

  it('does not roll back at the threshold or below it', () => {
    expect(decideAutoRollback(settings, figures(20, 2))).toEqual({
      rollBack: false,
      why: 'error rate 10 % within 10 %',
    });
    expect(decideAutoRollback(settings, figures(100, 0)).rollBack).toBe(false);
    expect(
      decideAutoRollback(
        { ...settings, errorRatePercent: 100 },
        figures(50, 50),
      ).rollBack,
    ).toBe(false);
  });

  it('does not roll back on fewer than minRequests requests, however many failed', () => {
    expect(decideAutoRollback(settings, figures(19, 19))).toEqual({
      rollBack: false,
      why: '19 requests in 5m, fewer than 20',
    });
    expect(
      decideAutoRollback({ ...settings, minRequests: 1 }, figures(1, 1))
        .rollBack,
    ).toBe(true);
  });

  it('does not roll back without figures, or with figures of another window', () => {
    expect(decideAutoRollback(settings, undefined).rollBack).toBe(false);
    expect(decideAutoRollback(settings, figures(0, 0)).rollBack).toBe(false);
    expect(decideAutoRollback(settings, figures(50, 50, '1m')).rollBack).toBe(
      false,
    );
  });
});

describe('the automatic roll back annotation', () => {
  const object = (annotations?: Record<string, string>) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'iris', annotations },
  });

  it('reads back what it wrote, and nothing from a value edited by hand', () => {
    const written = withAutoRollback(
      object({ other: 'kept' }),
      JSON.stringify(settings),
    );
    expect(written.metadata.annotations).toEqual({
      other: 'kept',
      [ANNOTATION_AUTO_ROLLBACK]: JSON.stringify(settings),
    });
    expect(readAutoRollback(written)).toEqual(settings);
    expect(withAutoRollback(written, undefined).metadata.annotations).toEqual({
      other: 'kept',
    });
    for (const bad of [
      'not json',
      '{"errorRatePercent":0,"window":"5m","minRequests":20}',
      '{"errorRatePercent":10,"window":"1h","minRequests":20}',
      '{"errorRatePercent":10,"window":"5m","minRequests":20,"extra":1}',
    ])
      expect(
        readAutoRollback(object({ [ANNOTATION_AUTO_ROLLBACK]: bad })),
      ).toBeUndefined();
    expect(readAutoRollback(object())).toBeUndefined();
  });
});

describe('the last automatic roll back in the history', () => {
  const entry = (
    action: HistoryEntry['action'],
    summary: string,
    outcome: HistoryEntry['outcome'] = 'succeeded',
  ): HistoryEntry => ({
    id: action,
    action,
    actor: 'plugin:inference',
    tenant: 'team-a',
    cluster: 'local',
    namespace: 'tenant-a',
    model: 'iris',
    at: '2026-12-04T04:00:00.000Z',
    outcome,
    summary,
  });
  const automatic = entry(
    'rollout.rollback',
    'rolled back automatically: the error rate was 100 %',
  );

  it('is shown while it is the latest rollout operation', () => {
    expect(
      lastAutomaticRollback([
        entry('publication.publish', 'published'),
        automatic,
      ]),
    ).toEqual({
      at: automatic.at,
      actor: 'plugin:inference',
      reason: automatic.summary,
    });
  });

  it("is not shown once another rollout operation follows, nor for a user's roll back", () => {
    expect(
      lastAutomaticRollback([
        entry('rollout.start', 'new version rolled out'),
        automatic,
      ]),
    ).toBeUndefined();
    expect(
      lastAutomaticRollback([
        entry(
          'rollout.rollback',
          'rolled back: all traffic to the previous version',
        ),
      ]),
    ).toBeUndefined();
    // A failed start changed nothing: the roll back still describes the state.
    expect(
      lastAutomaticRollback([
        entry('rollout.start', 'failed', 'failed'),
        automatic,
      ]),
    ).toBeDefined();
    expect(lastAutomaticRollback([])).toBeUndefined();
  });
});

describe('the workload of a rollout side', () => {
  it("is the Knative revision's Deployment or the KServe predictor's", () => {
    expect(predictorWorkload('Knative', 'iris-predictor-00002')).toBe(
      'iris-predictor-00002-deployment',
    );
    expect(predictorWorkload('Standard', 'iris')).toBe('iris-predictor');
    expect(predictorWorkload('Standard', 'iris-canary')).toBe(
      'iris-canary-predictor',
    );
  });

  it('is shortened with the MD5 of the revision as Knative does for a name over 63 characters', () => {
    // knative.dev/pkg kmeta ChildName: parent[:31 - len(suffix)] + md5(parent) + suffix.
    const revision = `${'m'.repeat(45)}-predictor-00001`;
    const name = childName(revision, '-deployment');
    expect(name).toBe(
      `${'m'.repeat(20)}${createHash('md5')
        .update(revision)
        .digest('hex')}-deployment`,
    );
    expect(name).toHaveLength(63);
    expect(childName('a'.repeat(52), '-deployment')).toBe(
      `${'a'.repeat(52)}-deployment`,
    );
  });
});
