import { DescriptorStatus, UNIT_SECONDS } from './fixedWindowCounters';

/**
 * The `x-ratelimit-*` headers Envoy's ratelimit filter adds when
 * `enable_x_ratelimit_headers: DRAFT_VERSION_03`, which Envoy Gateway
 * v1.9.0 sets unless the listener's ClientTrafficPolicy disables them
 * (internal/xds/translator/ratelimit.go `createRateLimitFilter`). Envoy's
 * source/extensions/filters/http/ratelimit/ratelimit_headers.cc (read from
 * a stored copy whose tag could not be checked): the status with the
 * fewest remaining (the first on ties) gives the limit, remaining and
 * reset; the limit header then lists every status as `, <limit>;w=<window
 * seconds>` (no `;name=`, EG names no descriptor), e.g. `5, 5;w=60`.
 */
export function rateLimitHeaders(
  statuses: DescriptorStatus[],
): Record<string, string> {
  if (statuses.length === 0) return {};
  let lowest = statuses[0];
  for (const status of statuses) {
    if (status.remaining < lowest.remaining) lowest = status;
  }
  const policies = statuses
    .map(s => `, ${s.requestsPerUnit};w=${UNIT_SECONDS[s.unit]}`)
    .join('');
  return {
    'x-ratelimit-limit': `${lowest.requestsPerUnit}${policies}`,
    'x-ratelimit-remaining': String(lowest.remaining),
    'x-ratelimit-reset': String(lowest.resetSeconds),
  };
}
