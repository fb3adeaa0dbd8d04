import crypto, { KeyObject } from 'node:crypto';
import {
  JwtStatus,
  JwtStatusText,
  ParsedJwt,
  decodeBase64Url,
} from './jwtToken';

/**
 * JSON Web Key Sets and signature checks as Envoy's jwt_authn does them,
 * with node:crypto in place of BoringSSL.
 *
 * Upstream (envoyproxy/envoy source/common/jwt/, read at commits whose tag
 * could not be checked; Envoy v1.39.0 is assumed):
 * - jwks.cc `createFromJwksCore`: a JSON object with a `keys` array; each
 *   entry that is not a valid key is skipped; none valid = an invalid set.
 *   `kty` RSA (`alg` starting RS or PS when set; `e` must be 3 or 65537), EC (`alg`
 *   ES* when set; `crv` from `alg`, P-256 when neither is set; `alg` and
 *   `crv` must agree), oct (HS* keys) and OKP (Ed25519). The X.509 form (an
 *   object of PEM certificates, no `keys`) is not reproduced: such a set is
 *   treated as invalid, so requests fail closed.
 * - verify.cc `verifyJwtWithoutTimeChecking`: every key is tried in order,
 *   skipping a key whose `kid` differs from the token's (both set) or whose
 *   `alg` differs (when set); the digest comes from the token's `alg`; no
 *   candidate key = "Jwks doesn't have key to match kid or alg from Jwt",
 *   candidates that all fail = "Jwt verification fails"; an Ed25519
 *   signature of the wrong length stops at once.
 */

export interface Jwk {
  kty: 'RSA' | 'EC' | 'oct' | 'OKP';
  /** '' when absent. */
  kid: string;
  /** '' when absent. */
  alg: string;
  key: KeyObject | Buffer;
}

export type JwksParseResult =
  | { ok: true; keys: Jwk[] }
  | { ok: false; reason: string };

/** Parses a JWKS document; `ok` only when it holds at least one valid key. */
export function parseJwks(text: string): JwksParseResult {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'Jwks is an invalid JSON' };
  }
  if (
    document === null ||
    typeof document !== 'object' ||
    Array.isArray(document)
  ) {
    return { ok: false, reason: 'Jwks is an invalid JSON' };
  }
  const keys = (document as Record<string, unknown>).keys;
  if (keys === undefined)
    return { ok: false, reason: 'Jwks does not have [keys] field' };
  if (!Array.isArray(keys))
    return { ok: false, reason: '[keys] in Jwks is not an array' };
  const parsed: Jwk[] = [];
  for (const entry of keys) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      continue;
    const jwk = parseJwk(entry as Record<string, unknown>);
    if (jwk) parsed.push(jwk);
  }
  return parsed.length > 0
    ? { ok: true, keys: parsed }
    : { ok: false, reason: JwtStatus.JwksNoValidKeys };
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** One key of the set, or undefined when Envoy would skip it. */
function parseJwk(entry: Record<string, unknown>): Jwk | undefined {
  const kty = str(entry.kty);
  const kid = str(entry.kid) ?? '';
  const alg = str(entry.alg) ?? '';
  try {
    switch (kty) {
      case 'RSA':
        return rsaKey(entry, kid, alg);
      case 'EC':
        return ecKey(entry, kid, alg);
      case 'oct':
        return octKey(entry, kid, alg);
      case 'OKP':
        return okpKey(entry, kid, alg);
      default:
        return undefined;
    }
  } catch {
    // node:crypto refused the key material (Envoy's parse errors).
    return undefined;
  }
}

function rsaKey(
  entry: Record<string, unknown>,
  kid: string,
  alg: string,
): Jwk | undefined {
  if (alg && !alg.startsWith('RS') && !alg.startsWith('PS')) return undefined;
  const n = decodeBase64Url(str(entry.n) ?? '!');
  const e = decodeBase64Url(str(entry.e) ?? '!');
  if (!n || !e || n.length === 0) return undefined;
  const exponent = BigInt(`0x${e.toString('hex') || '0'}`);
  if (exponent !== 3n && exponent !== 65537n) return undefined;
  const key = crypto.createPublicKey({
    key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') },
    format: 'jwk',
  });
  return { kty: 'RSA', kid, alg, key };
}

const EC_CURVES: Record<string, string> = {
  ES256: 'P-256',
  ES384: 'P-384',
  ES512: 'P-521',
};

function ecKey(
  entry: Record<string, unknown>,
  kid: string,
  alg: string,
): Jwk | undefined {
  if (alg && !alg.startsWith('ES')) return undefined;
  if (entry.crv !== undefined && typeof entry.crv !== 'string')
    return undefined;
  const crv = (entry.crv as string | undefined) ?? '';
  if (alg && crv && EC_CURVES[alg] !== crv) return undefined;
  const curve =
    EC_CURVES[alg] ??
    (Object.values(EC_CURVES).includes(crv) ? crv : undefined) ??
    (!alg && !crv ? 'P-256' : undefined);
  if (!curve) return undefined;
  const x = str(entry.x);
  const y = str(entry.y);
  if (x === undefined || y === undefined) return undefined;
  const key = crypto.createPublicKey({
    key: { kty: 'EC', crv: curve, x, y },
    format: 'jwk',
  });
  return { kty: 'EC', kid, alg, key };
}

function octKey(
  entry: Record<string, unknown>,
  kid: string,
  alg: string,
): Jwk | undefined {
  if (alg && !['HS256', 'HS384', 'HS512'].includes(alg)) return undefined;
  const k = decodeBase64Url(str(entry.k) ?? '!');
  if (!k || k.length === 0) return undefined;
  return { kty: 'oct', kid, alg, key: k };
}

function okpKey(
  entry: Record<string, unknown>,
  kid: string,
  alg: string,
): Jwk | undefined {
  if (alg && alg !== 'EdDSA') return undefined;
  if (entry.crv !== 'Ed25519') return undefined;
  const x = decodeBase64Url(str(entry.x) ?? '!');
  if (!x || x.length !== 32) return undefined;
  const key = crypto.createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: x.toString('base64url') },
    format: 'jwk',
  });
  return { kty: 'OKP', kid, alg, key };
}

/** Digest named by the token's alg; SHA-256 unless it says 384 or 512. */
function digestOf(alg: string): string {
  if (alg.endsWith('384')) return 'sha384';
  if (alg.endsWith('512')) return 'sha512';
  return 'sha256';
}

function safely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

/** Checks the token's signature against the set (no time checks). */
export function verifySignature(jwt: ParsedJwt, keys: Jwk[]): JwtStatusText {
  const data = Buffer.from(jwt.signedData, 'utf8');
  const digest = digestOf(jwt.alg);
  let candidate = false;
  for (const jwk of keys) {
    if (jwt.kid && jwk.kid && jwk.kid !== jwt.kid) continue;
    if (jwk.alg && jwk.alg !== jwt.alg) continue;
    candidate = true;
    if (jwk.kty === 'EC') {
      const ok = safely(() =>
        crypto.verify(
          digest,
          data,
          { key: jwk.key as KeyObject, dsaEncoding: 'ieee-p1363' },
          jwt.signature,
        ),
      );
      if (ok) return JwtStatus.Ok;
    } else if (jwk.kty === 'RSA') {
      const pss = jwt.alg.startsWith('PS');
      if (!pss && !jwt.alg.startsWith('RS')) continue;
      const ok = safely(() =>
        crypto.verify(
          digest,
          data,
          pss
            ? {
                key: jwk.key as KeyObject,
                padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
                saltLength: crypto.constants.RSA_PSS_SALTLEN_AUTO,
              }
            : (jwk.key as KeyObject),
          jwt.signature,
        ),
      );
      if (ok) return JwtStatus.Ok;
    } else if (jwk.kty === 'oct') {
      const mac = crypto
        .createHmac(digest, jwk.key as Buffer)
        .update(data)
        .digest();
      if (
        mac.length === jwt.signature.length &&
        crypto.timingSafeEqual(mac, jwt.signature)
      )
        return JwtStatus.Ok;
    } else {
      if (jwt.signature.length !== 64)
        return JwtStatus.JwtEd25519SignatureWrongLength;
      const ok = safely(() =>
        crypto.verify(null, data, jwk.key as KeyObject, jwt.signature),
      );
      if (ok) return JwtStatus.Ok;
    }
  }
  return candidate
    ? JwtStatus.JwtVerificationFail
    : JwtStatus.JwksKidAlgMismatch;
}
