/**
 * A JWT as Envoy's jwt_authn filter reads it before looking at any key.
 *
 * Upstream (envoyproxy/envoy, the jwt_verify_lib copy under
 * source/common/jwt/; Envoy v1.39.0 is the image Envoy Gateway v1.9.0
 * deploys, the files were read at commits whose tag could not be checked):
 * - jwt.cc `parseFromString`: three non-empty `.`-separated parts; header
 *   and payload are base64url JSON objects; `alg` a string naming an
 *   implemented algorithm; `kid` a string when present; `iss`, `sub`, `jti`
 *   strings, `iat`, `nbf`, `exp` non-negative numbers (truncated), `aud` a
 *   string or a list of strings when present; the signature base64url.
 * - jwt.cc `verifyTimeConstraint`: not yet valid when now + skew < nbf,
 *   expired when exp is set and now > exp + skew.
 * - check_audience.cc: audiences compared without an `http://`/`https://`
 *   prefix and a trailing `/`; no configured audience allows any.
 * - status.cc `getStatusString`: the texts below, which the filter sends as
 *   the 401/403 body.
 */

export const JwtStatus = {
  Ok: 'OK',
  JwtMissed: 'Jwt is missing',
  JwtNotYetValid: 'Jwt not yet valid',
  JwtExpired: 'Jwt is expired',
  JwtBadFormat:
    'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections',
  JwtHeaderParseErrorBadBase64: 'Jwt header is an invalid Base64url encoded',
  JwtHeaderParseErrorBadJson: 'Jwt header is an invalid JSON',
  JwtHeaderBadAlg: 'Jwt header [alg] field is required and must be a string',
  JwtHeaderNotImplementedAlg: 'Jwt header [alg] is not supported',
  JwtHeaderBadKid: 'Jwt header [kid] field is not a string',
  JwtPayloadParseErrorBadBase64: 'Jwt payload is an invalid Base64url encoded',
  JwtPayloadParseErrorBadJson: 'Jwt payload is an invalid JSON',
  JwtPayloadParseErrorIssNotString: 'Jwt payload [iss] field is not a string',
  JwtPayloadParseErrorSubNotString: 'Jwt payload [sub] field is not a string',
  JwtPayloadParseErrorIatNotInteger:
    'Jwt payload [iat] field is not an integer',
  JwtPayloadParseErrorIatOutOfRange:
    'Jwt payload [iat] field is not a positive 64 bit integer',
  JwtPayloadParseErrorNbfNotInteger:
    'Jwt payload [nbf] field is not an integer',
  JwtPayloadParseErrorNbfOutOfRange:
    'Jwt payload [nbf] field is not a positive 64 bit integer',
  JwtPayloadParseErrorExpNotInteger:
    'Jwt payload [exp] field is not an integer',
  JwtPayloadParseErrorExpOutOfRange:
    'Jwt payload [exp] field is not a positive 64 bit integer',
  JwtPayloadParseErrorJtiNotString: 'Jwt payload [jti] field is not a string',
  JwtPayloadParseErrorAudNotString:
    'Jwt payload [aud] field is not a string or string list',
  JwtSignatureParseErrorBadBase64:
    'Jwt signature is an invalid Base64url encoded',
  JwtEd25519SignatureWrongLength: 'Jwt ED25519 signature is wrong length',
  JwtUnknownIssuer: 'Jwt issuer is not configured',
  JwtAudienceNotAllowed: 'Audiences in Jwt are not allowed',
  JwtVerificationFail: 'Jwt verification fails',
  JwksNoValidKeys: "Jwks doesn't have any valid public key",
  JwksKidAlgMismatch: "Jwks doesn't have key to match kid or alg from Jwt",
  JwksFetchFail: 'Jwks remote fetch is failed',
} as const;

export type JwtStatusText = (typeof JwtStatus)[keyof typeof JwtStatus];

/** Envoy's default `clock_skew_seconds` (Envoy Gateway sets none). */
export const CLOCK_SKEW_SECONDS = 60;

/** The signature algorithms this double verifies (jwks.ts). */
export const IMPLEMENTED_ALGS = new Set([
  'ES256',
  'ES384',
  'ES512',
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
]);

export interface ParsedJwt {
  alg: string;
  /** '' when the header has none. */
  kid: string;
  /** '' when the payload has none. */
  iss: string;
  audiences: string[];
  /** 0 when absent. */
  nbf: number;
  /** 0 when absent. */
  exp: number;
  payload: Record<string, unknown>;
  /** `<header>.<payload>` as sent: the signed bytes. */
  signedData: string;
  signature: Buffer;
}

export type ParseResult =
  | { ok: true; jwt: ParsedJwt }
  | { ok: false; status: JwtStatusText };

/** base64url, padded or not (absl `WebSafeBase64Unescape`); else undefined. */
export function decodeBase64Url(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return undefined;
  const bare = text.replace(/=+$/, '');
  if (bare.length % 4 === 1) return undefined;
  if (bare.length !== text.length && text.length % 4 !== 0) return undefined;
  return Buffer.from(bare, 'base64url');
}

function jsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(bytes.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

type Field = 'ok' | 'missing' | 'wrongType' | 'outOfRange';

function stringField(
  object: Record<string, unknown>,
  name: string,
): [Field, string] {
  if (!(name in object)) return ['missing', ''];
  const value = object[name];
  return typeof value === 'string' ? ['ok', value] : ['wrongType', ''];
}

function uint64Field(
  object: Record<string, unknown>,
  name: string,
): [Field, number] {
  if (!(name in object)) return ['missing', 0];
  const value = object[name];
  if (typeof value !== 'number') return ['wrongType', 0];
  if (value < 0 || value >= 2 ** 64) return ['outOfRange', 0];
  return ['ok', Math.trunc(value)];
}

/** Parses a token as jwt.cc does, in the same order of checks. */
export function parseJwt(token: string): ParseResult {
  const fail = (status: JwtStatusText): ParseResult => ({ ok: false, status });
  const parts = token.split('.').filter(part => part !== '');
  if (parts.length !== 3) return fail(JwtStatus.JwtBadFormat);
  const [headerText, payloadText, signatureText] = parts;

  const headerBytes = decodeBase64Url(headerText);
  if (!headerBytes) return fail(JwtStatus.JwtHeaderParseErrorBadBase64);
  const header = jsonObject(headerBytes);
  if (!header) return fail(JwtStatus.JwtHeaderParseErrorBadJson);
  const [algField, alg] = stringField(header, 'alg');
  if (algField !== 'ok') return fail(JwtStatus.JwtHeaderBadAlg);
  if (!IMPLEMENTED_ALGS.has(alg))
    return fail(JwtStatus.JwtHeaderNotImplementedAlg);
  const [kidField, kid] = stringField(header, 'kid');
  if (kidField === 'wrongType') return fail(JwtStatus.JwtHeaderBadKid);

  const payloadBytes = decodeBase64Url(payloadText);
  if (!payloadBytes) return fail(JwtStatus.JwtPayloadParseErrorBadBase64);
  const payload = jsonObject(payloadBytes);
  if (!payload) return fail(JwtStatus.JwtPayloadParseErrorBadJson);
  const [issField, iss] = stringField(payload, 'iss');
  if (issField === 'wrongType')
    return fail(JwtStatus.JwtPayloadParseErrorIssNotString);
  if (stringField(payload, 'sub')[0] === 'wrongType')
    return fail(JwtStatus.JwtPayloadParseErrorSubNotString);
  const times: Record<string, number> = {};
  for (const [name, notInteger, outOfRange] of [
    [
      'iat',
      JwtStatus.JwtPayloadParseErrorIatNotInteger,
      JwtStatus.JwtPayloadParseErrorIatOutOfRange,
    ],
    [
      'nbf',
      JwtStatus.JwtPayloadParseErrorNbfNotInteger,
      JwtStatus.JwtPayloadParseErrorNbfOutOfRange,
    ],
    [
      'exp',
      JwtStatus.JwtPayloadParseErrorExpNotInteger,
      JwtStatus.JwtPayloadParseErrorExpOutOfRange,
    ],
  ] as const) {
    const [field, value] = uint64Field(payload, name);
    if (field === 'wrongType') return fail(notInteger);
    if (field === 'outOfRange') return fail(outOfRange);
    times[name] = value;
  }
  if (stringField(payload, 'jti')[0] === 'wrongType')
    return fail(JwtStatus.JwtPayloadParseErrorJtiNotString);
  const audiences = audiencesOf(payload);
  if (!audiences) return fail(JwtStatus.JwtPayloadParseErrorAudNotString);

  const signature = decodeBase64Url(signatureText);
  if (!signature) return fail(JwtStatus.JwtSignatureParseErrorBadBase64);
  return {
    ok: true,
    jwt: {
      alg,
      kid,
      iss,
      audiences,
      nbf: times.nbf,
      exp: times.exp,
      payload,
      signedData: `${headerText}.${payloadText}`,
      signature,
    },
  };
}

function audiencesOf(payload: Record<string, unknown>): string[] | undefined {
  if (!('aud' in payload)) return [];
  const aud = payload.aud;
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud) && aud.every(a => typeof a === 'string')) return aud;
  return undefined;
}

/** `nowSeconds` is Unix time in whole seconds. */
export function checkTimes(
  jwt: ParsedJwt,
  nowSeconds: number,
  skewSeconds = CLOCK_SKEW_SECONDS,
): JwtStatusText {
  if (nowSeconds + skewSeconds < jwt.nbf) return JwtStatus.JwtNotYetValid;
  if (jwt.exp && nowSeconds > jwt.exp + skewSeconds)
    return JwtStatus.JwtExpired;
  return JwtStatus.Ok;
}

function sanitizeAudience(aud: string): string {
  let text = aud;
  if (text.startsWith('http://')) text = text.slice('http://'.length);
  else if (text.startsWith('https://')) text = text.slice('https://'.length);
  return text.endsWith('/') ? text.slice(0, -1) : text;
}

export function audiencesAllowed(
  configured: string[],
  jwtAudiences: string[],
): boolean {
  if (configured.length === 0) return true;
  const allowed = new Set(configured.map(sanitizeAudience));
  return jwtAudiences.some(aud => allowed.has(sanitizeAudience(aud)));
}
