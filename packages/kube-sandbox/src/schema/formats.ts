/**
 * String formats the API server checks for CRD fields (a subset of
 * kube-openapi's registry; unknown formats are not checked, as upstream).
 */
const FORMAT_CHECKS: Record<string, (value: string) => boolean> = {
  byte: v =>
    /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v),
  'date-time': v =>
    /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(
      v,
    ) && !Number.isNaN(Date.parse(v)),
  date: v => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  duration: v =>
    /^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d|w))+$/.test(v) ||
    /^-?\d+(\.\d+)?\s*(nanoseconds?|microseconds?|milliseconds?|seconds?|minutes?|hours?|days?|weeks?)$/.test(
      v,
    ),
  ipv4: v =>
    /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(
      v,
    ),
  ipv6: v => /^[0-9a-fA-F:.]+$/.test(v) && v.includes(':'),
  cidr: v => {
    const [ip, bits, extra] = v.split('/');
    if (extra !== undefined || bits === undefined || !/^\d+$/.test(bits)) {
      return false;
    }
    return FORMAT_CHECKS.ipv4(ip)
      ? Number(bits) <= 32
      : FORMAT_CHECKS.ipv6(ip) && Number(bits) <= 128;
  },
  uuid: v =>
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(
      v,
    ),
  hostname: v =>
    v.length <= 253 &&
    /^[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*$/.test(
      v,
    ),
  email: v => /^[^\s@]+@[^\s@]+$/.test(v),
  // Built-in kinds' resource quantities (k8s.io/apimachinery pkg/api/resource/quantity.go `splitREString`).
  quantity: v => /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.test(v),
};

/** True when the format is unknown (not checked) or the value satisfies it. */
export function matchesStringFormat(format: string, value: string): boolean {
  const check = FORMAT_CHECKS[format];
  return check ? check(value) : true;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Range check for `format: int32`; other numeric formats are not range checked. */
export function matchesNumberFormat(format: string, value: number): boolean {
  if (format === 'int32') return value >= INT32_MIN && value <= INT32_MAX;
  return true;
}
