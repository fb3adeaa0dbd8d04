import { z } from 'zod/v3';

/** @public */
export const TEST_PROTOCOLS = [
  'openai-chat',
  'openai-completions',
  'openai-embeddings',
  'openai-models',
  'kserve-v1',
  'kserve-v2',
] as const;

/**
 * A test invocation from the portal. Only the protocol, the target kind and the JSON body are
 * chosen by the caller; the URL is the backend's choice (configured gateway or the model's own
 * in-cluster address), so there is nothing here to point elsewhere.
 * @public
 */
export const testInvocationRequestSchema = z
  .object({
    protocol: z.enum(TEST_PROTOCOLS, {
      errorMap: () => ({
        message: `must be one of ${TEST_PROTOCOLS.join(', ')}`,
      }),
    }),
    target: z.enum(['gateway', 'in-cluster']).default('gateway'),
    body: z.unknown().optional(),
    stream: z.boolean().optional(),
  })
  .strict();
