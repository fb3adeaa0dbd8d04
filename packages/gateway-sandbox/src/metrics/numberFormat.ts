/**
 * Number text of the two Prometheus writers this package imitates.
 */

/** Shortest round-trip digits and decimal exponent of a finite, non-zero |value|. */
function shortestDigits(value: number): { digits: string; exponent: number } {
  const [mantissa, exponent] = Math.abs(value).toExponential().split('e');
  return { digits: mantissa.replace('.', ''), exponent: Number(exponent) };
}

function exponentForm(
  sign: string,
  digits: string,
  exponent: number,
  minExponentDigits: number,
): string {
  const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
  const magnitude = String(Math.abs(exponent)).padStart(minExponentDigits, '0');
  return `${sign}${digits[0]}${fraction}e${
    exponent < 0 ? '-' : '+'
  }${magnitude}`;
}

function fixedForm(sign: string, digits: string, exponent: number): string {
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * A float as prometheus/common expfmt (text_create.go `writeFloat`) writes
 * it for client_golang, which serves the AI Gateway's metrics: `+Inf`,
 * `-Inf`, `NaN`, otherwise Go's `strconv.FormatFloat(f, 'g', -1, 64)`:
 * shortest digits, exponent form (`1.048576e+06`, two exponent digits at
 * least) when the decimal exponent is below -4 or at least 6.
 */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return '0';
  const sign = value < 0 ? '-' : '';
  const { digits, exponent } = shortestDigits(value);
  return exponent < -4 || exponent >= 6
    ? exponentForm(sign, digits, exponent, 2)
    : fixedForm(sign, digits, exponent);
}

/**
 * A double as Envoy's Prometheus writer prints bucket bounds and sums
 * (source/server/admin/prometheus_stats.cc: fmt `{:.32g}`): 32 significant
 * digits with trailing zeros dropped, exponent form below 1e-4 or from
 * 1e32. Counter values are integers and printed as such.
 */
export function formatEnvoyDouble(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return '0';
  const sign = value < 0 ? '-' : '';
  const [mantissa, exponentText] = Math.abs(value).toExponential(31).split('e');
  const exponent = Number(exponentText);
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  return exponent < -4 || exponent >= 32
    ? exponentForm(sign, digits, exponent, 2)
    : fixedForm(sign, digits, exponent);
}
