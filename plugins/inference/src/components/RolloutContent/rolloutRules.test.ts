import { revision, rollouts } from '../../__testUtils__/fixtures';
import { blockedReason, expectedAfter, isSettled } from './rolloutRules';

describe('rolloutRules', () => {
  it.each([
    [
      'stable',
      [
        undefined,
        'There is no new version.',
        'There is no new version.',
        'There is no new version to roll back.',
      ],
    ],
    ['canary', [undefined, undefined, undefined, undefined]],
    [
      'failed',
      [
        undefined,
        'The new version sklearn-iris-predictor-00002 is not Ready.',
        'The new version sklearn-iris-predictor-00002 is not Ready.',
        undefined,
      ],
    ],
    ['rolledBack', [undefined, undefined, undefined, 'Already rolled back.']],
    [
      'progressing',
      [
        'Wait until the current change is done.',
        'Wait until the current change is done.',
        'Wait until the current change is done.',
        undefined,
      ],
    ],
  ] as const)(
    'allows in phase %s: start, traffic, promote, rollback as the backend does',
    (phase, reasons) => {
      const status = rollouts[phase]();
      expect(
        (['start', 'traffic', 'promote', 'rollback'] as const).map(action =>
          blockedReason(status, action),
        ),
      ).toEqual(reasons);
    },
  );

  it('allows nothing on a Standard-mode model, giving the explanation', () => {
    const status = rollouts.standard();
    expect(blockedReason(status, 'start')).toBe(status.explanation);
  });

  it('is settled once the cluster reports the share the spec asks for', () => {
    expect(isSettled(rollouts.stable())).toBe(true);
    expect(isSettled(rollouts.progressing())).toBe(false);
    expect(isSettled(rollouts.canary(10))).toBe(false);
    expect(isSettled(rollouts.canary(20))).toBe(true);
    expect(isSettled(rollouts.failed())).toBe(true);
    expect(isSettled(rollouts.rolledBack())).toBe(true);
    expect(
      isSettled({
        ...rollouts.rolledBack(),
        candidate: revision(2, { percent: 20 }),
      }),
    ).toBe(false);
    expect(isSettled(rollouts.standard())).toBe(true);
  });

  it('expects what each operation leads to', () => {
    const start = expectedAfter(
      {
        action: 'start',
        version: { storageUri: 'gs://b/v3', canaryTrafficPercent: 10 },
      },
      rollouts.canary(),
    );
    expect(start(rollouts.canary())).toBe(false);
    expect(
      start({
        ...rollouts.progressing(),
        canaryTrafficPercent: 10,
        candidate: revision(3, { ready: false }),
      }),
    ).toBe(true);
    const promote = expectedAfter({ action: 'promote' }, rollouts.canary());
    expect(promote(rollouts.canary())).toBe(false);
    expect(promote(rollouts.promoted())).toBe(true);
    const traffic = expectedAfter(
      { action: 'traffic', canaryTrafficPercent: 50 },
      rollouts.canary(),
    );
    expect(traffic(rollouts.canary())).toBe(false);
    expect(traffic({ ...rollouts.canary(50), canaryTrafficPercent: 50 })).toBe(
      true,
    );
    const rollback = expectedAfter({ action: 'rollback' }, rollouts.canary());
    expect(rollback(rollouts.canary())).toBe(false);
    expect(rollback(rollouts.rolledBack())).toBe(true);
  });

  it('expects a Standard-mode candidate to keep its name and to be gone after promote or roll back', () => {
    const blueGreen = (
      candidate?: { percent: number },
      canaryTrafficPercent?: number,
    ) => ({
      ...rollouts.canary(),
      deploymentMode: 'Standard' as const,
      canaryTrafficPercent,
      stable: { revision: 'sklearn-iris', percent: 100, ready: true },
      candidate: candidate && {
        revision: 'sklearn-iris-canary',
        ready: true,
        ...candidate,
      },
    });
    const before = blueGreen({ percent: 20 }, 20);
    const replace = expectedAfter(
      {
        action: 'start',
        version: { storageUri: 'gs://b/v3', canaryTrafficPercent: 30 },
      },
      before,
    );
    expect(replace(before)).toBe(false);
    expect(replace(blueGreen({ percent: 0 }, 30))).toBe(true);
    const stableAgain = { ...blueGreen(), phase: 'stable' as const };
    expect(expectedAfter({ action: 'promote' }, before)(before)).toBe(false);
    expect(expectedAfter({ action: 'promote' }, before)(stableAgain)).toBe(
      true,
    );
    expect(expectedAfter({ action: 'rollback' }, before)(before)).toBe(false);
    expect(expectedAfter({ action: 'rollback' }, before)(stableAgain)).toBe(
      true,
    );
  });
});
