import {
  INFERENCE_ANNOTATION_PREFIX,
  LABEL_CANDIDATE_OF,
  ModelSpec,
  toLabelValue,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { buildInferenceService } from '../models/buildInferenceService';
import { summarizeInferenceService } from '../models/summarizeInferenceService';
import type { InferenceServiceObject } from '../models/types';
import { ANNOTATION_AUTO_ROLLBACK } from './autoRollback';

/**
 * A Standard-mode model's new version, rolled out blue-green (docs/architecture.md, "Rollouts"):
 * a second InferenceService `<model>-canary` with the new spec, which the published route gives
 * a share of the traffic by weight once it is Ready. KServe's own canary needs Knative revisions.
 * The state lives on that InferenceService, so every replica reads the same one from the cluster.
 */

/** The share of traffic the candidate is to get once Ready (1-99). */
export const ANNOTATION_CANDIDATE_PERCENT = `${INFERENCE_ANNOTATION_PREFIX}/candidate-traffic-percent`;
/**
 * Set while a promotion runs: the candidate has all traffic while the model's own InferenceService
 * takes the new spec; once that is Ready again, the traffic goes back to it and the candidate goes.
 */
export const ANNOTATION_PROMOTING = `${INFERENCE_ANNOTATION_PREFIX}/promoting`;

export const candidateName = (model: string) => `${model}-canary`;

/** Whether `isvc` is the blue-green candidate of `model` (and not a model that happens to have its name). */
export function isCandidateOf(
  isvc: InferenceServiceObject | undefined,
  model: string,
): isvc is InferenceServiceObject {
  return (
    isvc !== undefined &&
    isvc.metadata.name === candidateName(model) &&
    isvc.metadata.labels?.[LABEL_CANDIDATE_OF] === toLabelValue(model)
  );
}

export function buildCandidate(
  namespace: string,
  spec: ModelSpec,
  options: {
    tenant: string;
    percent: number;
    promoting?: boolean;
    /** The automatic roll back's annotation value (./autoRollback.ts), kept as stored. */
    autoRollback?: string;
  },
): InferenceServiceObject {
  const built = buildInferenceService(
    namespace,
    { ...spec, name: candidateName(spec.name) },
    { tenant: options.tenant },
  );
  return {
    ...built,
    metadata: {
      ...built.metadata,
      labels: {
        ...built.metadata.labels,
        [LABEL_CANDIDATE_OF]: toLabelValue(spec.name),
      },
      annotations: {
        ...built.metadata.annotations,
        [ANNOTATION_CANDIDATE_PERCENT]: String(options.percent),
        ...(options.promoting ? { [ANNOTATION_PROMOTING]: 'true' } : {}),
        ...(options.autoRollback !== undefined
          ? { [ANNOTATION_AUTO_ROLLBACK]: options.autoRollback }
          : {}),
      },
    },
  };
}

export interface CandidateState {
  /** The share asked for. */
  percent: number;
  promoting: boolean;
  ready: boolean;
}

export function candidateState(
  candidate: InferenceServiceObject,
): CandidateState {
  const annotations = candidate.metadata.annotations ?? {};
  const percent = Number(annotations[ANNOTATION_CANDIDATE_PERCENT]);
  return {
    percent:
      Number.isInteger(percent) && percent >= 0 && percent <= 100 ? percent : 0,
    promoting: annotations[ANNOTATION_PROMOTING] === 'true',
    ready: summarizeInferenceService(candidate).ready,
  };
}

/**
 * The share of the published route's traffic the candidate gets now: what was asked once it is
 * Ready, all of it while a promotion runs, and none (no second backend at all) before it is Ready,
 * so a version that never becomes Ready never receives a request.
 */
export function candidateWeight(
  candidate: InferenceServiceObject | undefined,
): number {
  if (!candidate) return 0;
  const state = candidateState(candidate);
  if (state.promoting) return 100;
  return state.ready ? state.percent : 0;
}
