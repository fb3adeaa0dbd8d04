import { z } from 'zod/v3';
import { dnsLabel } from './primitives';

/**
 * Body of "create an API key". The name identifies the key in lists and becomes part of the
 * client id the gateway forwards, so it is a DNS-label-like string.
 * @public
 */
export const apiKeyCreateSchema = z
  .object({
    name: dnsLabel(63),
  })
  .strict();

/** @public */
export type ApiKeyCreateRequest = z.infer<typeof apiKeyCreateSchema>;

/** At most a week: long enough to roll a key out everywhere, short enough not to forget it. @public */
export const MAX_ROTATION_GRACE_SECONDS = 604_800;

/**
 * Body of "rotate an API key": a new key is created at once; the old one keeps working for
 * `graceSeconds` (0 revokes it immediately).
 * @public
 */
export const apiKeyRotateSchema = z
  .object({
    graceSeconds: z
      .number({ invalid_type_error: 'must be a number' })
      .int({ message: 'must be a whole number of seconds' })
      .min(0, { message: 'must not be negative' })
      .max(MAX_ROTATION_GRACE_SECONDS, {
        message: 'must be at most 604800 seconds (7 days)',
      }),
  })
  .strict();

/** @public */
export type ApiKeyRotateRequest = z.infer<typeof apiKeyRotateSchema>;
