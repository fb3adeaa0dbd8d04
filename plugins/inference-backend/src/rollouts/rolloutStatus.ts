import type {
  ModelLocator,
  RolloutStatus,
  RolloutVersion,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  KubeObject,
  ROUTE_KINDS,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { ANNOTATION_DEPLOYMENT_MODE } from '../models/buildInferenceService';
import { summarizeInferenceService } from '../models/summarizeInferenceService';
import type { InferenceServiceObject, KubeCondition } from '../models/types';
import { publicationObjectNames } from '../publication/build/objectNames';
import type { LoadedModel } from '../publication/publicationEngine';
import { candidateState } from './candidate';

/** `status.components.predictor` of a Knative-mode InferenceService (KServe `ComponentStatusSpec`). */
interface PredictorStatus {
  latestCreatedRevision?: string;
  latestReadyRevision?: string;
  latestRolledoutRevision?: string;
  previousRolledoutRevision?: string;
  traffic?: { revisionName?: string; percent?: number }[];
}

/**
 * The conditions that say why the newest revision is not Ready. KServe v0.20.0 copies the Knative
 * Service's `ConfigurationsReady` to `PredictorConfigurationReady` and its `Ready` to
 * `PredictorReady` (pkg/apis/serving/v1beta1/inference_service_status.go `PropagateStatus`);
 * Knative sets them False with the failing revision's reason and message.
 */
const FAILURE_CONDITIONS = [
  'PredictorConfigurationReady',
  'PredictorReady',
  'LatestDeploymentReady',
];

export function deploymentModeOf(
  isvc: InferenceServiceObject,
): 'Standard' | 'Knative' {
  const mode =
    (isvc.status?.deploymentMode as string | undefined) ??
    isvc.metadata.annotations?.[ANNOTATION_DEPLOYMENT_MODE];
  return mode === 'Knative' || mode === 'Serverless' ? 'Knative' : 'Standard';
}

/**
 * Why the newest revision is not Ready, if it failed: a condition above False, or, before Knative
 * gives up on it (its progress deadline), the model status KServe derives from the failing pod
 * (`PropagateModelStatus`: `transitionStatus: BlockedByFailedLoad` with `lastFailureInfo`).
 */
function failureOf(
  isvc: InferenceServiceObject,
): { reason?: string; message?: string } | undefined {
  const conditions: KubeCondition[] = isvc.status?.conditions ?? [];
  for (const type of FAILURE_CONDITIONS) {
    const condition = conditions.find(c => c.type === type);
    if (condition?.status === 'False') {
      return { reason: condition.reason, message: condition.message };
    }
  }
  const model = isvc.status?.modelStatus;
  if (model?.transitionStatus === 'BlockedByFailedLoad') {
    return {
      reason: model.lastFailureInfo?.reason,
      message: model.lastFailureInfo?.message,
    };
  }
  return undefined;
}

/**
 * Where a model's rollout stands, from its InferenceService alone (docs/architecture.md,
 * "Rollouts"). In Knative mode KServe rolls out revisions: the newest one (`latestCreatedRevision`)
 * gets `canaryTrafficPercent` once Ready and the last one that had all traffic
 * (`latestRolledoutRevision`) the rest; while the newest one is not Ready, Knative keeps the traffic
 * where it was. The shares are the ones the cluster reports in `traffic`, not the ones asked for.
 */
export function knativeRolloutStatus(
  model: ModelLocator,
  isvc: InferenceServiceObject,
): RolloutStatus {
  const deploymentMode = deploymentModeOf(isvc);
  const canaryTrafficPercent = isvc.spec.predictor.canaryTrafficPercent;
  if (deploymentMode === 'Standard') {
    throw new Error('A Standard-mode rollout is read with blueGreenStatus');
  }
  const predictor = (isvc.status?.components?.predictor ??
    {}) as PredictorStatus;
  const percentOf = (revision: string) =>
    (predictor.traffic ?? [])
      .filter(t => t.revisionName === revision)
      .reduce((sum, t) => sum + (t.percent ?? 0), 0);
  const version = (revision: string, ready: boolean): RolloutVersion => ({
    revision,
    percent: percentOf(revision),
    ready,
  });
  const stableName =
    predictor.latestRolledoutRevision ?? predictor.latestReadyRevision;
  const newest = predictor.latestCreatedRevision;
  const stable = stableName ? version(stableName, true) : undefined;
  const base = { model, deploymentMode, supported: true, canaryTrafficPercent };
  // Until KServe has seen the newest spec, the status describes an older one.
  const observed = isvc.status?.observedGeneration;
  const reconciled =
    typeof observed !== 'number' ||
    isvc.metadata.generation === undefined ||
    observed >= isvc.metadata.generation;

  if (!newest || newest === stableName) {
    let explanation = 'KServe has not acted on the latest change yet.';
    if (!stable) explanation = 'No version of this model has been Ready yet.';
    else if (reconciled) explanation = `${stable.revision} serves all traffic.`;
    return {
      ...base,
      phase: reconciled ? 'stable' : 'progressing',
      stable,
      explanation,
    };
  }
  const newestReady = predictor.latestReadyRevision === newest;
  const candidate = version(newest, newestReady);
  const stableText = stable
    ? `${stable.revision} keeps ${stable.percent} % of the traffic`
    : 'no earlier version serves';
  const failure = newestReady ? undefined : failureOf(isvc);
  if (canaryTrafficPercent === 0) {
    return {
      ...base,
      phase: 'rolledBack',
      stable,
      candidate: { ...candidate, ...failure },
      explanation: `Rolled back: ${stableText}; the new version ${newest} gets none. Roll out again to try another version.`,
    };
  }
  if (!newestReady) {
    return {
      ...base,
      phase: failure ? 'failed' : 'progressing',
      stable,
      candidate: { ...candidate, ...failure },
      explanation: failure
        ? `The new version ${newest} is not Ready (${
            failure.reason ?? 'no reason given'
          }${
            failure.message ? `: ${failure.message}` : ''
          }); ${stableText}. Roll back, or roll out a corrected version.`
        : `The new version ${newest} is starting; ${stableText} until it is Ready.`,
    };
  }
  if (canaryTrafficPercent === undefined || canaryTrafficPercent === 100) {
    return {
      ...base,
      phase: 'progressing',
      stable,
      candidate,
      explanation: `Promoting ${newest}: it gets all traffic as soon as KServe has moved it.`,
    };
  }
  return {
    ...base,
    phase: 'canary',
    stable,
    candidate,
    explanation: `Canary: ${newest} gets ${candidate.percent} % of the traffic and ${stableText}. Promote it to all traffic, change its share, or roll back.`,
  };
}

/** The share of the published route's requests that goes to `backend` (its weight over the sum). */
function routeShare(route: KubeObject | undefined, backend: string): number {
  const refs: { name?: string; weight?: number }[] =
    (route?.spec as any)?.rules?.[0]?.backendRefs ?? [];
  const weightOf = (r: { weight?: number }) => r.weight ?? 1;
  const total = refs.reduce((sum, r) => sum + weightOf(r), 0);
  const ref = refs.find(r => r.name === backend);
  return ref && total > 0 ? Math.round((weightOf(ref) / total) * 100) : 0;
}

/**
 * Where a Standard-mode model's blue-green rollout stands: the model's InferenceService, its
 * candidate `<model>-canary` (./candidate.ts) and the shares the published route gives each.
 */
export function blueGreenStatus(
  model: ModelLocator,
  loaded: LoadedModel,
): RolloutStatus {
  const base = { model, deploymentMode: 'Standard' as const };
  if (!loaded.current.request) {
    return {
      ...base,
      supported: false,
      phase: 'stable',
      explanation:
        'In Standard mode a new version gets its share of traffic from the published route, by weight (KServe canaries need Knative). Publish the model to roll out new versions; in-cluster callers of its predictor always reach the current version.',
    };
  }
  const route = loaded.current.objects.find(o => ROUTE_KINDS.has(o.kind));
  const names = (isvc: string) =>
    publicationObjectNames(loaded.tenant.name, isvc).route;
  const candidateShare = loaded.candidate
    ? routeShare(route, names(loaded.candidate.metadata.name))
    : 0;
  const modelReady = summarizeInferenceService(loaded.isvc).ready;
  const stable: RolloutVersion = {
    revision: loaded.isvc.metadata.name,
    percent: 100 - candidateShare,
    ready: modelReady,
  };
  if (!loaded.candidate) {
    return {
      ...base,
      supported: true,
      phase: 'stable',
      stable,
      explanation: `${stable.revision} serves all traffic.`,
    };
  }
  const state = candidateState(loaded.candidate);
  const status = summarizeInferenceService(loaded.candidate);
  const candidate: RolloutVersion = {
    revision: loaded.candidate.metadata.name,
    percent: candidateShare,
    ready: state.ready,
    ...(state.ready ? {} : { reason: status.reason, message: status.message }),
  };
  const common = {
    ...base,
    supported: true,
    canaryTrafficPercent: state.percent,
    stable,
    candidate,
  };
  if (state.promoting) {
    return {
      ...common,
      phase: 'progressing',
      explanation: `Promoting: ${candidate.revision} serves all traffic while ${stable.revision} takes the new version; then ${stable.revision} serves it and ${candidate.revision} is removed.`,
    };
  }
  if (!state.ready) {
    const failed = (status.conditions ?? []).some(
      c => c.status === 'False' && c.reason,
    );
    return {
      ...common,
      phase: failed ? 'failed' : 'progressing',
      explanation: failed
        ? `The new version ${candidate.revision} is not Ready (${
            status.reason ?? 'no reason given'
          }${status.message ? `: ${status.message}` : ''}); ${
            stable.revision
          } keeps all traffic. Roll back, or roll out a corrected version.`
        : `The new version ${candidate.revision} is starting; ${stable.revision} keeps all traffic until it is Ready.`,
    };
  }
  if (candidateShare !== state.percent) {
    return {
      ...common,
      phase: 'progressing',
      explanation: `The new version ${candidate.revision} is Ready; the route is being set to give it ${state.percent} %.`,
    };
  }
  return {
    ...common,
    phase: 'canary',
    explanation: `Blue-green: ${candidate.revision} gets ${candidateShare} % of the published traffic and ${stable.revision} ${stable.percent} %. Promote it to all traffic, change its share, or roll back.`,
  };
}
