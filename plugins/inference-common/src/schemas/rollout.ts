import { z } from 'zod/v3';
import { boundedInt } from './primitives';
import { modelSpecFields } from './modelSpec';

/**
 * The windows a rollout's per-version figures and its automatic roll back are read over: a fixed
 * table, as the usage windows are, so no caller's text ever reaches a query.
 * @public
 */
export const ROLLOUT_WINDOWS = ['1m', '5m', '15m'] as const;

/** @public */
export type RolloutWindow = (typeof ROLLOUT_WINDOWS)[number];

/** The window the rollout view's figures use when no automatic roll back names one. @public */
export const DEFAULT_ROLLOUT_WINDOW: RolloutWindow = '5m';

/** `minRequests` when the request leaves it out. @public */
export const DEFAULT_AUTO_ROLLBACK_MIN_REQUESTS = 20;

/**
 * Roll the new version back without anyone asking once its error rate (5xx share) over `window`
 * exceeds `errorRatePercent` with at least `minRequests` requests in that window. Needs usage
 * (`inference.usage.prometheusUrl`); docs/architecture.md, "Rollouts".
 * @public
 */
export const autoRollbackSchema = z
  .object({
    errorRatePercent: boundedInt(1, 100),
    window: z.enum(ROLLOUT_WINDOWS, {
      errorMap: () => ({
        message: `must be one of ${ROLLOUT_WINDOWS.join(', ')}`,
      }),
    }),
    minRequests: boundedInt(1, 100_000).default(
      DEFAULT_AUTO_ROLLBACK_MIN_REQUESTS,
    ),
  })
  .strict();

/** @public */
export type AutoRollback = z.infer<typeof autoRollbackSchema>;

/**
 * A new version of a model, rolled out as a canary: what changes against the model's current spec
 * (the storage URI, the framework and so its runtime, the image, arguments or resources; at least
 * one of them) and the share of traffic the new version gets at first. The merged spec is then
 * validated as a whole with `modelSpecSchema` (docs/architecture.md, "Rollouts").
 * @public
 */
export const rolloutRequestSchema = z
  .object({
    storageUri: modelSpecFields.storageUri,
    framework: modelSpecFields.framework.optional(),
    image: modelSpecFields.image,
    args: modelSpecFields.args,
    resources: modelSpecFields.resources,
    /** 1-99: 0 is a roll back and 100 a promotion, each an operation of its own. */
    canaryTrafficPercent: boundedInt(1, 99),
    /** Optional: roll the new version back automatically when it fails (needs usage). */
    autoRollback: autoRollbackSchema.optional(),
  })
  .strict()
  .refine(
    request =>
      ['storageUri', 'framework', 'image', 'args', 'resources'].some(
        field => request[field as keyof typeof request] !== undefined,
      ),
    {
      message:
        'must change at least one of storageUri, framework, image, args or resources',
      path: ['storageUri'],
    },
  );

/** @public */
export type RolloutRequest = z.infer<typeof rolloutRequestSchema>;

/** A new share of traffic for the version being rolled out. @public */
export const rolloutTrafficSchema = z
  .object({ canaryTrafficPercent: boundedInt(1, 99) })
  .strict();

/** @public */
export type RolloutTrafficRequest = z.infer<typeof rolloutTrafficSchema>;

/**
 * One operation on a model's rollout, as the scaffolder and agent actions take it (the REST API
 * has a route for each): start a new version, change its share, promote it, or roll back.
 * @public
 */
export const rolloutOperationSchema = z.discriminatedUnion('action', [
  z
    .object({ action: z.literal('start'), version: rolloutRequestSchema })
    .strict(),
  z
    .object({
      action: z.literal('traffic'),
      canaryTrafficPercent: rolloutTrafficSchema.shape.canaryTrafficPercent,
    })
    .strict(),
  z.object({ action: z.literal('promote') }).strict(),
  z.object({ action: z.literal('rollback') }).strict(),
]);

/** @public */
export type RolloutOperation = z.infer<typeof rolloutOperationSchema>;
