const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  '\u00b5s': 1e-3,
  '\u03bcs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Milliseconds of a Go duration string, as Envoy Gateway reads
 * `cacheDuration` and `failedRefetchDuration` (Go `time.ParseDuration`:
 * an optional sign, then one or more decimal numbers each with a unit;
 * `0` alone is allowed). Undefined when Go would refuse it.
 */
export function parseGoDuration(text: string): number | undefined {
  const match = /^([-+]?)(.*)$/.exec(text)!;
  const [, sign, body] = match;
  if (body === '0') return 0;
  if (body === '') return undefined;
  const part = /(\d+\.?\d*|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y;
  let total = 0;
  let index = 0;
  while (index < body.length) {
    part.lastIndex = index;
    const found = part.exec(body);
    if (!found) return undefined;
    total += Number(found[1]) * UNIT_MS[found[2]];
    index = part.lastIndex;
  }
  return sign === '-' ? -total : total;
}
