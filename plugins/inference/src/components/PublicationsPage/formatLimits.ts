import type { PublishLimits } from '@inference-in-a-box/backstage-plugin-inference-common';

const n = (value: number) => value.toLocaleString('en-US');

/** `60 req/min · 3,600 req/h · 100,000 tokens/h`, or `No limits`. */
export function formatLimits(limits: PublishLimits): string {
  const parts = [
    limits.requestsPerMinute !== undefined &&
      `${n(limits.requestsPerMinute)} req/min`,
    limits.requestsPerHour !== undefined &&
      `${n(limits.requestsPerHour)} req/h`,
    limits.tokensPerHour !== undefined && `${n(limits.tokensPerHour)} tokens/h`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : 'No limits';
}
