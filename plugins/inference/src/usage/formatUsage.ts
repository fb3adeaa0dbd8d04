import type {
  LimitHeadroom,
  UnavailableFigure,
  UsageWindow,
} from '@inference-in-a-box/backstage-plugin-inference-common';

/** How the window picker and headings name each window. */
export const WINDOW_LABELS: Record<UsageWindow, string> = {
  '1h': '1 h',
  '24h': '24 h',
  '7d': '7 d',
};

/** "in the last hour" and so on, for sentences. */
export const WINDOW_PHRASES: Record<UsageWindow, string> = {
  '1h': 'in the last hour',
  '24h': 'in the last 24 hours',
  '7d': 'in the last 7 days',
};

/** `1,234` */
export const formatCount = (value: number) =>
  Math.round(value).toLocaleString('en-US');

const compact = new Intl.NumberFormat('en-US', {
  notation: 'compact',
  maximumFractionDigits: 1,
});

/** `1.2K`, `3.4M`: for chart axes, where space is short. */
export const formatCompact = (value: number) => compact.format(value);

/** `85 ms`, `1.24 s`; `n/a` when Prometheus had no samples. */
export function formatLatency(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return 'n/a';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** `30 s`, `5 min`, `1 h`, `1 d`: the length of a chart's step. */
export function formatDuration(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** The last six characters of a key's id, which is all a table needs to tell keys apart. */
export const idTail = (id: string) => id.slice(-6);

/** Times on a chart's x axis: the time of day within a day, the day over a week. */
export function formatTick(window: UsageWindow, ms: number): string {
  const date = new Date(ms);
  if (window === '7d') {
    return date.toLocaleDateString('en-US', {
      weekday: 'short',
      day: 'numeric',
    });
  }
  return date.toLocaleTimeString('en-US', {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

/** The distance between two ticks of a window's time axis, in minutes of local time. */
const TICK_MINUTES: Record<UsageWindow, number> = {
  '1h': 10,
  '24h': 180,
  '7d': 1440,
};

/**
 * Round times between `from` and `to` (ms) for a chart's x axis: every 10 minutes over an hour,
 * every 3 hours over a day, every local midnight over a week.
 */
export function timeTicks(window: UsageWindow, from: number, to: number) {
  const step = TICK_MINUTES[window] * 60_000;
  const midnight = new Date(from);
  midnight.setHours(0, 0, 0, 0);
  const ticks: number[] = [];
  const first =
    midnight.getTime() + Math.ceil((from - midnight.getTime()) / step) * step;
  for (let t = first; t <= to; t += step) ticks.push(t);
  return ticks;
}

/** A point's full time, for tooltips. */
export const formatTime = (ms: number) =>
  new Date(ms).toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });

export const LIMIT_LABELS: Record<LimitHeadroom['limit'], string> = {
  requestsPerMinute: 'Requests per minute',
  requestsPerHour: 'Requests per hour',
  tokensPerHour: 'Tokens per hour',
};

/** How close a key is to one of its limits: ok, near (80 % or more) or exhausted (at the limit). */
export type HeadroomLevel = 'ok' | 'near' | 'exhausted';

/** The share of the limit used, in percent (not capped: a key over its limit shows more than 100). */
export function headroomPercent(headroom: Pick<LimitHeadroom, 'used' | 'max'>) {
  if (headroom.max <= 0) return headroom.used > 0 ? 100 : 0;
  return Math.round((headroom.used / headroom.max) * 100);
}

export function headroomLevel(
  headroom: Pick<LimitHeadroom, 'used' | 'max'>,
): HeadroomLevel {
  if (headroom.used >= headroom.max) return 'exhausted';
  return headroomPercent(headroom) >= 80 ? 'near' : 'ok';
}

/** Why the platform's metrics cannot give a figure (`requests.unauthorized`, `keys`, ...), if so. */
export function unavailableReason(
  usage: { unavailable?: UnavailableFigure[] },
  figure: string,
): string | undefined {
  // Without a closing full stop, so that sentences can go on after it.
  return usage.unavailable
    ?.find(u => u.figure === figure)
    ?.reason.replace(/\.\s*$/, '');
}

/** Requests that were not answered 2xx: every other status class (per key: `error`). */
export const errorCount = (byStatusClass: Record<string, number>) =>
  Object.entries(byStatusClass)
    .filter(([statusClass]) => statusClass !== '2xx')
    .reduce((sum, [, n]) => sum + n, 0);
