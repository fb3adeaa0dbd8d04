/**
 * Go duration strings (`time.ParseDuration`, e.g. `1h30m`, `-1.5s`, `0`)
 * plus the day and week units kube-openapi's strfmt `ParseDuration` adds,
 * as nanoseconds. Used for schema strings with `format: duration`
 * (k8s.io/apiserver pkg/cel/common/values.go).
 */

const UNIT_NANOS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
  d: 86400e9,
  w: 7 * 86400e9,
};

/** Nanoseconds, or undefined when the text is not a duration. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0' || text === '+0' || text === '-0') return 0;
  const match = /^([-+]?)((?:[0-9]*(?:\.[0-9]*)?[a-zµμ]+)+)$/.exec(text);
  if (!match) return undefined;
  let total = 0;
  for (const part of match[2].matchAll(/([0-9]*(?:\.[0-9]*)?)([a-zµμ]+)/g)) {
    const [, number, unit] = part;
    if (number === '' || number === '.' || !(unit in UNIT_NANOS)) {
      return undefined;
    }
    total += Number(number) * UNIT_NANOS[unit];
  }
  return match[1] === '-' ? -total : total;
}
