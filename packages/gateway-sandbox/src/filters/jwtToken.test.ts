import { JwtStatus, audiencesAllowed, checkTimes, parseJwt } from './jwtToken';

const b64 = (o: unknown) =>
  Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString(
    'base64url',
  );
const token = (
  payload: unknown,
  header: unknown = { alg: 'RS256', kid: 'k1' },
) => `${b64(header)}.${b64(payload)}.c2ln`;

const parse = (t: string) => {
  const result = parseJwt(t);
  return result.ok ? result.jwt : result.status;
};

describe('JWT parsing as jwt_verify_lib does it', () => {
  it('reads alg, kid, iss, audiences and times', () => {
    const jwt = parse(
      token({ iss: 'https://issuer', aud: 'a', nbf: 10.9, exp: 20, x: 1 }),
    );
    expect(jwt).toMatchObject({
      alg: 'RS256',
      kid: 'k1',
      iss: 'https://issuer',
      audiences: ['a'],
      nbf: 10,
      exp: 20,
      payload: { x: 1 },
    });
  });

  it.each([
    ['two parts', 'a.b', JwtStatus.JwtBadFormat],
    ['four parts', 'a.b.c.d', JwtStatus.JwtBadFormat],
    ['bad header base64', '*.e30.c2ln', JwtStatus.JwtHeaderParseErrorBadBase64],
    [
      'header not an object',
      `${b64('[1]')}.e30.c2ln`,
      JwtStatus.JwtHeaderParseErrorBadJson,
    ],
    ['no alg', token({}, { kid: 'k' }), JwtStatus.JwtHeaderBadAlg],
    [
      'alg none',
      token({}, { alg: 'none' }),
      JwtStatus.JwtHeaderNotImplementedAlg,
    ],
    [
      'kid number',
      token({}, { alg: 'RS256', kid: 7 }),
      JwtStatus.JwtHeaderBadKid,
    ],
    [
      'payload not JSON',
      `${b64({ alg: 'RS256' })}.${b64('{')}.c2ln`,
      JwtStatus.JwtPayloadParseErrorBadJson,
    ],
    [
      'iss number',
      token({ iss: 1 }),
      JwtStatus.JwtPayloadParseErrorIssNotString,
    ],
    [
      'exp string',
      token({ exp: '1' }),
      JwtStatus.JwtPayloadParseErrorExpNotInteger,
    ],
    [
      'nbf negative',
      token({ nbf: -1 }),
      JwtStatus.JwtPayloadParseErrorNbfOutOfRange,
    ],
    [
      'aud list of numbers',
      token({ aud: [1] }),
      JwtStatus.JwtPayloadParseErrorAudNotString,
    ],
    [
      'bad signature base64',
      `${b64({ alg: 'RS256' })}.e30.*`,
      JwtStatus.JwtSignatureParseErrorBadBase64,
    ],
  ])('refuses %s', (_name, t, status) => {
    expect(parse(t)).toBe(status);
  });

  it('skips empty sections, as absl::SkipEmpty does', () => {
    const [h, p, s] = token({}).split('.');
    expect(typeof parse(`${h}..${p}.${s}`)).toBe('object');
  });
});

describe('time constraints with the 60 s skew', () => {
  const jwt = (claims: object) => {
    const result = parseJwt(token(claims));
    if (!result.ok) throw new Error(result.status);
    return result.jwt;
  };

  it('accepts up to 60 s after exp and 60 s before nbf', () => {
    expect(checkTimes(jwt({ exp: 1000 }), 1060)).toBe(JwtStatus.Ok);
    expect(checkTimes(jwt({ exp: 1000 }), 1061)).toBe(JwtStatus.JwtExpired);
    expect(checkTimes(jwt({ nbf: 1000 }), 940)).toBe(JwtStatus.Ok);
    expect(checkTimes(jwt({ nbf: 1000 }), 939)).toBe(JwtStatus.JwtNotYetValid);
    expect(checkTimes(jwt({}), 10 ** 12)).toBe(JwtStatus.Ok);
  });
});

describe('audiences', () => {
  it('compares without scheme and trailing slash; none configured allows all', () => {
    expect(audiencesAllowed(['https://api/'], ['api'])).toBe(true);
    expect(audiencesAllowed(['api'], ['http://api/'])).toBe(true);
    expect(audiencesAllowed(['api'], ['other', 'api'])).toBe(true);
    expect(audiencesAllowed(['api'], ['other'])).toBe(false);
    expect(audiencesAllowed(['api'], [])).toBe(false);
    expect(audiencesAllowed([], ['anything'])).toBe(true);
  });
});
