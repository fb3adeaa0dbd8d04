/**
 * How Go prints the values a table cell is made of: `fmt.Fprint` for
 * scalars and `encoding/json.Marshal` (sorted map keys, HTML-safe escaping)
 * for maps and slices, as `JSONPath.PrintResults` does in
 * k8s.io/client-go/util/jsonpath/jsonpath.go (v0.32).
 */

function escapeHtml(json: string): string {
  return json
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const source = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(source)
        .sort()
        .map(key => [key, sortKeys(source[key])]),
    );
  }
  return value;
}

/** `json.Marshal` of a decoded JSON value. */
export function goJsonMarshal(value: unknown): string {
  return escapeHtml(JSON.stringify(sortKeys(value)));
}

/** `fmt.Sprint` of a number decoded the way the API server decodes JSON (int64 or float64). */
export function goNumber(value: number): string {
  if (Number.isSafeInteger(value)) return String(value);
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : 'NaN';
  // %v of a float64 is %g with the shortest digits: exponent form when the
  // exponent is < -4 or >= 6 (strconv/ftoa.go), with at least two exponent digits.
  const [mantissa, exponent] = value.toExponential().split('e');
  const exp = Number(exponent);
  if (exp < -4 || exp >= 6) {
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${mantissa}e${exp < 0 ? '-' : '+'}${digits}`;
  }
  return String(value);
}

/**
 * What `PrintResults` writes for one value, or undefined when Go would fail
 * to print it (a JSON null).
 */
export function printJsonPathValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'object') return goJsonMarshal(value);
  if (typeof value === 'number') return goNumber(value);
  return String(value);
}
