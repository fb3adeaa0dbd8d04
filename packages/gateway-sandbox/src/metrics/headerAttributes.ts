/**
 * The ext_proc's `-metricsRequestHeaderAttributes` flag (the Helm value
 * `controller.metricsRequestHeaderAttributes`), envoyproxy/ai-gateway
 * v1.1.0:
 * - internal/internalapi/internalapi.go `ParseRequestHeaderAttributeMapping`:
 *   comma-separated `header:attribute` pairs, each side trimmed, split at
 *   the first `:`; an empty pair or side is an error (the ext_proc refuses
 *   to start); a header listed twice keeps its last attribute. Header names
 *   are not lower-cased, and Envoy hands the ext_proc lower-case names, so
 *   only lower-case names ever match.
 * - internal/requestheaderattrs/resolve.go `ResolveAll`: metrics get no
 *   default mapping (unlike spans and logs), so unset or empty = none.
 */
export function parseRequestHeaderAttributes(
  value: string | undefined,
): Map<string, string> {
  const mapping = new Map<string, string>();
  if (!value) return mapping;
  value.split(',').forEach((rawPair, i) => {
    const pair = rawPair.trim();
    if (!pair)
      throw new Error(`empty header-attribute pair at position ${i + 1}`);
    const colon = pair.indexOf(':');
    if (colon < 0) {
      throw new Error(
        `invalid header-attribute pair at position ${i + 1}: ${JSON.stringify(
          pair,
        )} (expected format: header:attribute)`,
      );
    }
    const header = pair.slice(0, colon).trim();
    const attribute = pair.slice(colon + 1).trim();
    if (!header || !attribute) {
      throw new Error(
        `empty header or attribute at position ${i + 1}: ${JSON.stringify(
          pair,
        )}`,
      );
    }
    mapping.set(header, attribute);
  });
  return mapping;
}

/**
 * The Prometheus label an OTel attribute becomes: the OTel Prometheus
 * exporter (go.opentelemetry.io/otel/exporters/prometheus v0.66.0, via
 * prometheus/otlptranslator) replaces every character outside
 * `[a-zA-Z0-9_]` with `_`, so `client.id` is `client_id` (AI Gateway's
 * tests/e2e/token_ratelimit_test.go relies on the same for `tenant_id`).
 * A leading digit gets `key_`. Other rules of the translator (leading
 * underscores, UTF-8 names) are not reproduced.
 */
export function prometheusLabelName(attribute: string): string {
  const sanitized = attribute.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(sanitized) ? `key_${sanitized}` : sanitized;
}
