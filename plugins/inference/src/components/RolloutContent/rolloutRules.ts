import type {
  RolloutOperation,
  RolloutPhase,
  RolloutStatus,
} from '@inference-in-a-box/backstage-plugin-inference-common';

/** What each phase is called on the page. */
export const PHASE_LABELS: Record<RolloutPhase, string> = {
  stable: 'Stable',
  progressing: 'In progress',
  canary: 'Canary',
  failed: 'Failed',
  rolledBack: 'Rolled back',
};

/** The operations the Rollout tab offers, one dialog each. */
export type RolloutAction = RolloutOperation['action'];

const WAIT = 'Wait until the current change is done.';

/**
 * Why an operation cannot be taken in this state (undefined: it can). The same rules as the
 * backend's, which answers 409 otherwise (plugins/inference-backend/src/rollouts/RolloutService.ts),
 * so the buttons are disabled up front with the reason instead.
 */
export function blockedReason(
  status: RolloutStatus,
  action: RolloutAction,
): string | undefined {
  if (!status.supported) return status.explanation;
  const { phase, stable, candidate } = status;
  switch (action) {
    case 'start':
      if (!stable) return 'No version of this model has been Ready yet.';
      return phase === 'progressing' ? WAIT : undefined;
    case 'traffic':
    case 'promote':
      if (!candidate) return 'There is no new version.';
      if (phase === 'progressing') return WAIT;
      if (!candidate.ready)
        return `The new version ${candidate.revision} is not Ready.`;
      return undefined;
    default:
      if (!candidate) return 'There is no new version to roll back.';
      return phase === 'rolledBack' ? 'Already rolled back.' : undefined;
  }
}

/**
 * True when the cluster has finished moving traffic to where the spec asks: not `progressing`, a
 * canary at the share asked for, a rollback with no traffic left on the new version. A model that
 * cannot be rolled out has nothing to wait for.
 */
export function isSettled(status: RolloutStatus): boolean {
  if (!status.supported) return true;
  switch (status.phase) {
    case 'progressing':
      return false;
    case 'canary':
      return status.candidate?.percent === status.canaryTrafficPercent;
    case 'rolledBack':
      return (status.candidate?.percent ?? 0) === 0;
    default:
      return true;
  }
}

/**
 * What the status must show once the cluster has acted on an operation applied in state `before`.
 * The answer to the write can still describe the previous state (KServe acts a moment later), so
 * the tab keeps reading until this holds.
 */
export function expectedAfter(
  operation: RolloutOperation,
  before: RolloutStatus,
): (status: RolloutStatus) => boolean {
  switch (operation.action) {
    case 'start': {
      // A Standard-mode candidate keeps its name (`<model>-canary`) when a new version replaces
      // it; a Knative one is a new revision.
      const old = [before.stable?.revision, before.candidate?.revision];
      return s =>
        s.candidate !== undefined &&
        s.canaryTrafficPercent === operation.version.canaryTrafficPercent &&
        (s.deploymentMode === 'Standard' ||
          !old.includes(s.candidate.revision));
    }
    case 'traffic':
      return s => s.canaryTrafficPercent === operation.canaryTrafficPercent;
    case 'promote':
      // Knative: the new revision is the stable one. Standard: the model's own InferenceService
      // serves the new version and the candidate is gone.
      return s =>
        s.phase === 'stable' &&
        (s.stable?.revision === before.candidate?.revision || !s.candidate);
    default:
      // Knative pins all traffic to the previous revision; Standard removes the candidate.
      return s => s.canaryTrafficPercent === 0 || !s.candidate;
  }
}

/** `20 %` */
export const percent = (value: number) => `${value} %`;
