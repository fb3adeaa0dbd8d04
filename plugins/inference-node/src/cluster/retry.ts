import { isNetworkError, statusCodeOf } from './errors';

/**
 * How often a failed cluster call is repeated, and how long to wait in between.
 * @public
 */
export interface RetryPolicy {
  maxAttempts: number;
  /** Delay before the second attempt; doubled for each further one, with jitter. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 200,
};

/**
 * Whether a failed cluster call is worth repeating: throttling, server errors and network failures
 * are transient; a conflict is worth one more try only for idempotent writes (server-side apply and
 * delete), where the next attempt re-reads nothing and simply converges.
 */
export function isRetryable(error: unknown, idempotent: boolean): boolean {
  if (isNetworkError(error)) return idempotent;
  const code = statusCodeOf(error);
  if (code === undefined) return false;
  if (
    code === 429 ||
    code === 500 ||
    code === 502 ||
    code === 503 ||
    code === 504
  ) {
    return idempotent || code === 429;
  }
  return code === 409 && idempotent;
}

export async function withRetries<T>(
  operation: () => Promise<T>,
  options: {
    idempotent: boolean;
    policy?: RetryPolicy;
    sleep?: (ms: number) => Promise<void>;
  },
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? (ms => new Promise(r => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (
        attempt >= policy.maxAttempts ||
        !isRetryable(error, options.idempotent)
      ) {
        throw error;
      }
      const backoff = policy.baseDelayMs * 2 ** (attempt - 1);
      await sleep(backoff / 2 + Math.random() * (backoff / 2));
    }
  }
}
