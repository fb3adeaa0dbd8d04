import type { z as zod } from 'zod/v3';

/**
 * Output schemas of the agent actions. The actions registry parses every output through its schema
 * and drops what the schema does not name, so these are also the list of what an agent may see:
 * no field here can hold a key value, a Secret or a manifest.
 */

const condition = (z: typeof zod) =>
  z.object({
    type: z.string(),
    status: z.string(),
    reason: z.string().optional(),
    message: z.string().optional(),
    lastTransitionTime: z.string().optional(),
  });

export const modelOutput = (z: typeof zod) =>
  z.object({
    name: z.string(),
    namespace: z.string(),
    tenant: z.string(),
    cluster: z.string(),
    framework: z.string(),
    modelType: z.string(),
    published: z.boolean(),
    publicationState: z.string().optional(),
    status: z.object({
      ready: z.boolean(),
      reason: z.string().optional(),
      message: z.string().optional(),
      url: z.string().optional(),
      replicas: z.object({
        ready: z.number().optional(),
        desired: z.number().optional(),
      }),
      conditions: z.array(condition(z)),
    }),
  });

/** An API key's metadata: the last four characters, never the key. */
export const apiKeyOutput = (z: typeof zod) =>
  z.object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    last4: z.string(),
    expiresAt: z.string().optional(),
    expired: z.boolean().optional(),
  });

export const publicationOutput = (z: typeof zod) =>
  z.object({
    state: z.string(),
    modelType: z.string(),
    publicModelName: z.string(),
    endpoint: z.string(),
    auth: z.object({ apiKey: z.boolean(), jwt: z.boolean() }),
    limits: z.object({
      requestsPerMinute: z.number().optional(),
      requestsPerHour: z.number().optional(),
      tokensPerHour: z.number().optional(),
    }),
    apiKeys: z.array(apiKeyOutput(z)),
    drift: z
      .object({
        checkedAt: z.string(),
        objects: z.array(
          z.object({
            kind: z.string(),
            name: z.string(),
            change: z.string(),
            weakensGuard: z.boolean(),
            managers: z.array(z.string()),
          }),
        ),
      })
      .optional(),
  });

const requestCounts = (z: typeof zod) =>
  z.object({
    total: z.number(),
    byStatusClass: z.record(z.number()),
    unauthorized: z.number().optional(),
    rateLimited: z.number(),
  });

const tokenCounts = (z: typeof zod) =>
  z.object({ input: z.number(), output: z.number(), total: z.number() });

export const usageOutput = (z: typeof zod) =>
  z.object({
    window: z.string(),
    requests: requestCounts(z),
    tokens: tokenCounts(z).optional(),
    latencyMs: z.object({
      p50: z.number().optional(),
      p95: z.number().optional(),
    }),
    keys: z.array(
      z.object({
        keyId: z.string(),
        name: z.string().optional(),
        requests: requestCounts(z),
        tokens: tokenCounts(z).optional(),
        headroom: z.array(
          z.object({
            limit: z.string(),
            max: z.number(),
            used: z.number(),
          }),
        ),
      }),
    ),
    unavailable: z
      .array(z.object({ figure: z.string(), reason: z.string() }))
      .optional(),
    asOf: z.number().optional(),
  });

const rolloutVersion = (z: typeof zod) =>
  z.object({
    revision: z.string(),
    percent: z.number(),
    ready: z.boolean(),
    storageUri: z.string().optional(),
    reason: z.string().optional(),
    message: z.string().optional(),
    usage: z
      .object({
        window: z.string(),
        requests: z.number(),
        errors: z.number(),
        errorRatePercent: z.number().nullable(),
        latencyMs: z.object({
          p50: z.number().nullable(),
          p95: z.number().nullable(),
        }),
      })
      .optional(),
  });

export const rolloutOutput = (z: typeof zod) =>
  z.object({
    deploymentMode: z.string(),
    supported: z.boolean(),
    phase: z.string(),
    canaryTrafficPercent: z.number().optional(),
    stable: rolloutVersion(z).optional(),
    candidate: rolloutVersion(z).optional(),
    explanation: z.string(),
    autoRollback: z
      .object({
        errorRatePercent: z.number(),
        window: z.string(),
        minRequests: z.number(),
      })
      .optional(),
    automaticRollback: z
      .object({ at: z.string(), actor: z.string(), reason: z.string() })
      .optional(),
    usageUnavailable: z
      .object({ code: z.string(), message: z.string() })
      .optional(),
  });
