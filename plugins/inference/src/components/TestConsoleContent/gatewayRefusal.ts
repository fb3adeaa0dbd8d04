import type { TestInvocationResult } from '@inference-in-a-box/backstage-plugin-inference-common';

/** `5, 5;w=60` (the draft RateLimit header Envoy sends): the first policy's quota and window. */
function describeLimit(limit: string | undefined): string | undefined {
  const policy = limit?.split(',').slice(1).join(',').trim() ?? '';
  const match = /^(\d+);w=(\d+)/.exec(policy);
  if (!match) return undefined;
  const [, quota, window] = match;
  return `${Number(quota).toLocaleString('en-US')} per ${Number(
    window,
  ).toLocaleString('en-US')} s`;
}

/**
 * What a refusal by the gateway means, for the statuses its filters answer themselves (API key
 * auth, authorization, routing, rate limits). Undefined for anything else: the model answered.
 */
export function gatewayRefusal(
  result: Pick<TestInvocationResult, 'status' | 'headers'>,
): string | undefined {
  switch (result.status) {
    case 401:
      return 'The gateway refused the call: the API key is missing, unknown, revoked or past its grace period.';
    case 403:
      return 'The gateway refused the call: the caller is not authorized for this model.';
    case 404:
      return 'No route of the gateway matched: the publication may still be being set up, or the request names another model.';
    case 429: {
      const limit = describeLimit(result.headers['x-ratelimit-limit']);
      const reset = result.headers['x-ratelimit-reset'];
      return [
        'The gateway rate-limited the call',
        limit ? `: the key's limit is ${limit}` : '',
        reset ? `; the window resets in ${reset} s` : '',
        '.',
      ].join('');
    }
    default:
      return undefined;
  }
}
