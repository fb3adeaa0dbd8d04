import {
  AutoRollback,
  autoRollbackSchema,
  HistoryEntry,
  INFERENCE_ANNOTATION_PREFIX,
  RolloutAutomaticRollback,
  RolloutVersionUsage,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { KubeObject } from '@inference-in-a-box/backstage-plugin-inference-node';

/**
 * A rollout's automatic roll back (docs/architecture.md, "Rollouts"): where its settings live and
 * when it fires. The settings are an annotation of the object that holds the new version (in
 * Knative mode the model's InferenceService, in Standard mode the candidate `<model>-canary`), so
 * every replica reads the same ones from the cluster and they go with the new version.
 */

/** The settings as JSON (`autoRollbackSchema`), written by the portal when the rollout starts. */
export const ANNOTATION_AUTO_ROLLBACK = `${INFERENCE_ANNOTATION_PREFIX}/auto-rollback`;

/** Every automatic roll back's history summary starts so; a user's never does (summaryOf). */
const SUMMARY_PREFIX = 'rolled back automatically';

export const autoRollbackAnnotation = (settings: AutoRollback) =>
  JSON.stringify({
    errorRatePercent: settings.errorRatePercent,
    window: settings.window,
    minRequests: settings.minRequests,
  });

/** The annotation's value exactly as stored (kept as is by operations that do not change it). */
export const rawAutoRollback = (object: KubeObject | undefined) =>
  object?.metadata.annotations?.[ANNOTATION_AUTO_ROLLBACK];

/** The settings on an object; a value the schema refuses (edited by hand) is none. */
export function readAutoRollback(
  object: KubeObject | undefined,
): AutoRollback | undefined {
  const raw = rawAutoRollback(object);
  if (raw === undefined) return undefined;
  try {
    const parsed = autoRollbackSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** `object` with the annotation set to `raw`, or without it. */
export function withAutoRollback<T extends KubeObject>(
  object: T,
  raw: string | undefined,
): T {
  const { [ANNOTATION_AUTO_ROLLBACK]: _old, ...annotations } =
    object.metadata.annotations ?? {};
  return {
    ...object,
    metadata: {
      ...object.metadata,
      annotations:
        raw === undefined
          ? annotations
          : { ...annotations, [ANNOTATION_AUTO_ROLLBACK]: raw },
    },
  };
}

export type AutoRollbackDecision =
  | { rollBack: true; reason: string }
  | { rollBack: false; why: string };

const percent = (value: number) => Math.round(value * 10) / 10;

/**
 * Whether the new version's figures over the settings' window call for a roll back: more than
 * `errorRatePercent` of its requests answered 5xx, with at least `minRequests` requests (fewer
 * prove nothing either way, and no figures at all never roll back).
 */
export function decideAutoRollback(
  settings: AutoRollback,
  usage: RolloutVersionUsage | undefined,
): AutoRollbackDecision {
  if (!usage) return { rollBack: false, why: 'no figures' };
  if (usage.window !== settings.window) {
    return { rollBack: false, why: `figures of ${usage.window}` };
  }
  if (usage.requests < settings.minRequests) {
    return {
      rollBack: false,
      why: `${usage.requests} requests in ${settings.window}, fewer than ${settings.minRequests}`,
    };
  }
  const rate = (usage.errors * 100) / usage.requests;
  if (rate <= settings.errorRatePercent) {
    return {
      rollBack: false,
      why: `error rate ${percent(rate)} % within ${
        settings.errorRatePercent
      } %`,
    };
  }
  return {
    rollBack: true,
    reason: `${SUMMARY_PREFIX}: the new version's error rate was ${percent(
      rate,
    )} % (${usage.errors} of ${
      usage.requests
    } requests answered 5xx) over the last ${
      settings.window
    }, above the threshold of ${
      settings.errorRatePercent
    } %; all traffic to the previous version`,
  };
}

/**
 * The automatic roll back the model's history ends with, if its latest rollout operation is one
 * (newest first, as HistoryStore lists): shown in the status until another operation follows.
 */
export function lastAutomaticRollback(
  entries: HistoryEntry[],
): RolloutAutomaticRollback | undefined {
  const latest = entries.find(
    e => e.action.startsWith('rollout.') && e.outcome === 'succeeded',
  );
  if (
    latest?.action !== 'rollout.rollback' ||
    !latest.summary?.startsWith(SUMMARY_PREFIX)
  ) {
    return undefined;
  }
  return { at: latest.at, actor: latest.actor, reason: latest.summary };
}
