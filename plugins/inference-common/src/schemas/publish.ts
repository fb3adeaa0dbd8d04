import { z } from 'zod/v3';
import { MODEL_TYPES } from '../entities';
import { boundedInt, hostname, safeString } from './primitives';

/** Bounds of the publish form's rate limits (docs/architecture.md, "Defaults"). @public */
export const PUBLISH_LIMIT_BOUNDS = {
  requestsPerMinute: { min: 1, max: 10_000 },
  requestsPerHour: { min: 1, max: 100_000 },
  tokensPerHour: { min: 1_000, max: 10_000_000 },
} as const;

/**
 * What the publish form proposes for a new publication. Not applied by the schema: omitting a
 * limit means "no such limit", and the form, not the API, decides what users start from.
 * @public
 */
export const DEFAULT_PUBLISH_LIMITS = {
  requestsPerMinute: 60,
  requestsPerHour: 3_600,
  tokensPerHour: 100_000,
} as const;

const PUBLIC_MODEL_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

const limitsSchema = z
  .object({
    requestsPerMinute: boundedInt(1, 10_000).optional(),
    requestsPerHour: boundedInt(1, 100_000).optional(),
    tokensPerHour: boundedInt(1_000, 10_000_000).optional(),
  })
  .strict()
  // rpm * 60 above rph is allowed: it permits short bursts within the hourly budget.
  .refine(
    limits =>
      limits.requestsPerMinute === undefined ||
      limits.requestsPerHour === undefined ||
      limits.requestsPerMinute <= limits.requestsPerHour,
    {
      message: 'must not be more than the requests per hour',
      path: ['requestsPerMinute'],
    },
  );

/**
 * Body of "publish" (create or update the publication of a model). Every field maps to an
 * enforced gateway rule; unknown fields are rejected rather than ignored.
 * @public
 */
export const publishRequestSchema = z
  .object({
    /**
     * The name clients put in the OpenAI `model` field (routed on `x-ai-eg-model`). Like a DNS
     * label, plus '.' because model versions use it (`llama-3.1-8b`).
     */
    publicModelName: safeString()
      .min(1, { message: 'is required' })
      .max(63, { message: 'must be at most 63 characters' })
      .regex(PUBLIC_MODEL_NAME, {
        message:
          "must consist of lowercase letters, digits, '-' and '.', and start and end with a letter or digit",
      }),
    /** Public hostname; the platform default when omitted, otherwise one of the allowed hostnames. */
    hostname: hostname().optional(),
    auth: z
      .object({
        apiKey: z.literal(true, {
          errorMap: () => ({ message: 'API keys are always required' }),
        }),
        jwt: z.boolean().optional(),
      })
      .strict(),
    limits: limitsSchema,
    /** Overrides the detected model type (e.g. a custom container the detection gets wrong). */
    modelType: z.enum(MODEL_TYPES).optional(),
  })
  .strict();

/** @public */
export type PublishRequest = z.infer<typeof publishRequestSchema>;
/** @public */
export type PublishLimits = PublishRequest['limits'];
