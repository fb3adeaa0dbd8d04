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
    /** Which of the publication's keys a gateway call sends (default: the newest). */
    apiKeyId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'is not an API key id' })
      .optional(),
    /** A gateway call with no key at all, to see what the gateway answers without one. */
    withoutApiKey: z.boolean().optional(),
  })
  .strict()
  .superRefine((request, ctx) => {
    const keyChoice = (['apiKeyId', 'withoutApiKey'] as const).filter(
      field => request[field] !== undefined,
    );
    if (keyChoice.length > 0 && request.target !== 'gateway') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [keyChoice[0]],
        message: 'applies only to calls through the gateway (target: gateway)',
      });
    } else if (request.apiKeyId !== undefined && request.withoutApiKey) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['apiKeyId'],
        message: 'cannot be combined with withoutApiKey: true',
      });
    }
  });
