/**
 * The `pod-template-hash` of a pod template, in the shape the Deployment controller gives it
 * (k8s pkg/controller/controller_utils.go `ComputeHash`: a 32-bit FNV-1a hash whose decimal
 * digits are mapped onto k8s.io/apimachinery `rand.SafeEncodeString`'s alphabet). Upstream hashes
 * the Go struct dump of the template; this hashes its canonical JSON, so the values differ from a
 * real cluster's but have the same form and stay equal for equal templates.
 */

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted, so that equal templates hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)); // keys are unique
    return `{${entries
      .map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function podTemplateHash(template: unknown): string {
  const digits = String(fnv1a32(canonicalJson(template)));
  return [...digits]
    .map(c => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length])
    .join('');
}
