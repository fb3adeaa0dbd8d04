import { generateTestKey, signJwt } from '../__testUtils__/jwtIssuer';
import { parseJwks, verifySignature } from './jwks';
import { IMPLEMENTED_ALGS, JwtStatus, parseJwt } from './jwtToken';

const jwtOf = (token: string) => {
  const result = parseJwt(token);
  if (!result.ok) throw new Error(result.status);
  return result.jwt;
};

const keysOf = (jwks: unknown) => {
  const result = parseJwks(JSON.stringify(jwks));
  if (!result.ok) throw new Error(result.reason);
  return result.keys;
};

describe('signature verification with node:crypto', () => {
  const algs = [...IMPLEMENTED_ALGS];

  it.each(algs)(
    'verifies %s and refuses a token signed by another key',
    alg => {
      const key = generateTestKey(alg, 'k1');
      const other = generateTestKey(alg, 'k1');
      const keys = keysOf({ keys: [key.jwk] });
      expect(verifySignature(jwtOf(signJwt(key, { sub: 'a' })), keys)).toBe(
        JwtStatus.Ok,
      );
      expect(verifySignature(jwtOf(signJwt(other, { sub: 'a' })), keys)).toBe(
        JwtStatus.JwtVerificationFail,
      );
    },
  );

  it('picks the key by kid, tries every key when the token has none', () => {
    const a = generateTestKey('RS256', 'a');
    const b = generateTestKey('ES256', 'b');
    const keys = keysOf({ keys: [a.jwk, b.jwk] });
    expect(verifySignature(jwtOf(signJwt(b, {})), keys)).toBe(JwtStatus.Ok);
    expect(
      verifySignature(jwtOf(signJwt(b, {}, { kid: 'unknown' })), keys),
    ).toBe(JwtStatus.JwksKidAlgMismatch);
    expect(
      verifySignature(jwtOf(signJwt(b, {}, { kid: undefined })), keys),
    ).toBe(JwtStatus.Ok);
  });

  it('skips keys whose alg differs from the token', () => {
    const key = generateTestKey('RS256', 'k');
    const keys = keysOf({ keys: [{ ...key.jwk, alg: 'RS384' }] });
    expect(verifySignature(jwtOf(signJwt(key, {})), keys)).toBe(
      JwtStatus.JwksKidAlgMismatch,
    );
    const noAlg = keysOf({ keys: [{ ...key.jwk, alg: undefined }] });
    expect(verifySignature(jwtOf(signJwt(key, {})), noAlg)).toBe(JwtStatus.Ok);
  });

  it('stops at an Ed25519 signature of the wrong length', () => {
    const key = generateTestKey('EdDSA', 'k');
    const token = signJwt(key, {}).replace(/\.[^.]+$/, '.AAAA');
    expect(verifySignature(jwtOf(token), keysOf({ keys: [key.jwk] }))).toBe(
      JwtStatus.JwtEd25519SignatureWrongLength,
    );
  });
});

describe('JWKS parsing', () => {
  const rsa = generateTestKey('RS256', 'r').jwk;
  const ec = generateTestKey('ES256', 'e').jwk;

  it('skips invalid keys and keeps the valid ones', () => {
    const keys = keysOf({
      keys: [
        { kty: 'RSA', n: 'AQAB' },
        { ...rsa, e: 'AAEAAQ' /* 65537 with a leading 0 byte */ },
        { ...rsa, e: 'BQ' /* 5: refused */ },
        { ...ec, alg: 'ES384' /* crv P-256 does not match */ },
        { ...ec, alg: undefined, crv: undefined /* P-256 assumed */ },
        { kty: 'unknown' },
        'not an object',
        rsa,
      ],
    });
    expect(keys.map(k => [k.kty, k.kid])).toEqual([
      ['RSA', 'r'],
      ['EC', 'e'],
      ['RSA', 'r'],
    ]);
  });

  it.each([
    ['not JSON', '{'],
    ['no keys', '{}'],
    ['keys not a list', '{"keys":{}}'],
    ['no valid key', '{"keys":[{"kty":"RSA"}]}'],
    [
      'X.509 form (not reproduced)',
      '{"k1":"-----BEGIN CERTIFICATE-----\\nx\\n-----END CERTIFICATE-----\\n"}',
    ],
  ])('refuses a set that is %s', (_name, text) => {
    expect(parseJwks(text).ok).toBe(false);
  });
});
