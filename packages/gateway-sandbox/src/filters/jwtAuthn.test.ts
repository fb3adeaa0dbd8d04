import { generateTestKey, signJwt } from '../__testUtils__/jwtIssuer';
import { GatewayRequest } from '../request';
import { authenticateJwt } from './jwtAuthn';
import { buildJwtConfig, JwtAuthnConfig } from './jwtConfig';
import { RemoteJwksCache } from './remoteJwks';

const NOW = Date.UTC(2030, 0, 1);
const ctx = {
  clock: () => NOW,
  jwks: new RemoteJwksCache({ clock: () => NOW, resolveJwks: () => undefined }),
};
const key = generateTestKey('RS256', 'k1');
const otherKey = generateTestKey('RS256', 'k1');
const ISSUER = 'https://issuer.example';

const claims = (extra: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  aud: 'api',
  sub: 'user-1',
  exp: NOW / 1000 + 300,
  ...extra,
});

function config(jwt: Record<string, unknown> = {}, provider = {}) {
  const built = buildJwtConfig({
    providers: [
      {
        name: 'p1',
        issuer: ISSUER,
        audiences: ['api'],
        localJWKS: {
          type: 'Inline',
          inline: JSON.stringify({ keys: [key.jwk] }),
        },
        ...provider,
      },
    ],
    ...jwt,
  });
  if ('error' in built) throw new Error(built.error);
  return built as JwtAuthnConfig;
}

const request = (path: string, headers: Array<[string, string]> = []) =>
  new GatewayRequest('GET', path, [['host', 'api.example'], ...headers]);

const bearer = (token: string): [string, string] => [
  'authorization',
  `Bearer ${token}`,
];

describe('jwt_authn', () => {
  it('answers 401 "Jwt is missing" with a bare Bearer challenge', async () => {
    expect(await authenticateJwt(config(), request('/a?b=c'), ctx)).toEqual({
      allowed: false,
      status: 401,
      body: 'Jwt is missing',
      headers: {
        'www-authenticate': 'Bearer realm="http://api.example/a?b=c"',
      },
    });
  });

  it('cuts the realm path at 256 characters', async () => {
    const path = `/${'x'.repeat(300)}`;
    const result = await authenticateJwt(config(), request(path), ctx);
    expect(result).toMatchObject({
      headers: {
        'www-authenticate': `Bearer realm="http://api.example${path.slice(
          0,
          256,
        )}"`,
      },
    });
  });

  it.each([
    [
      'a bad signature',
      signJwt(otherKey, claims()),
      401,
      'Jwt verification fails',
    ],
    [
      'another issuer',
      signJwt(key, claims({ iss: 'x' })),
      401,
      'Jwt issuer is not configured',
    ],
    [
      'an expired token',
      signJwt(key, claims({ exp: NOW / 1000 - 61 })),
      401,
      'Jwt is expired',
    ],
    [
      'another audience',
      signJwt(key, claims({ aud: 'other' })),
      403,
      'Audiences in Jwt are not allowed',
    ],
    [
      'garbage',
      'not-a-jwt',
      401,
      'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections',
    ],
  ])('refuses %s', async (_name, token, status, body) => {
    const result = await authenticateJwt(
      config(),
      request('/', [bearer(token)]),
      ctx,
    );
    expect(result).toEqual({
      allowed: false,
      status,
      body,
      headers: {
        'www-authenticate':
          'Bearer realm="http://api.example/", error="invalid_token"',
      },
    });
  });

  it('keeps the token (EG forwards it) and stores the payload, scopes split', async () => {
    const token = signJwt(key, claims({ scope: 'read  write', scp: '' }));
    const r = request('/', [bearer(token)]);
    const result = await authenticateJwt(config(), r, ctx);
    expect(result).toMatchObject({
      allowed: true,
      clearRouteCache: false,
      payloads: { p1: { sub: 'user-1', scope: ['read', 'write'], scp: '' } },
    });
    expect(r.firstHeader('authorization')).toBe(`Bearer ${token}`);
  });

  it('reads the default access_token query parameter too, and needs every token valid', async () => {
    const good = signJwt(key, claims());
    const bad = signJwt(otherKey, claims());
    expect(
      (await authenticateJwt(config(), request(`/?access_token=${good}`), ctx))
        .allowed,
    ).toBe(true);
    expect(
      await authenticateJwt(
        config(),
        request(`/?access_token=${bad}`, [bearer(good)]),
        ctx,
      ),
    ).toMatchObject({ allowed: false, body: 'Jwt verification fails' });
  });

  it('reads extractFrom headers (prefix found anywhere), params and cookies only', async () => {
    const cfg = config(
      {},
      {
        extractFrom: {
          headers: [{ name: 'X-Token', valuePrefix: 'Tok ' }],
          params: ['t'],
          cookies: ['jwt'],
        },
      },
    );
    const token = signJwt(key, claims());
    const ok = async (r: GatewayRequest) =>
      (await authenticateJwt(cfg, r, ctx)).allowed;
    expect(await ok(request('/', [['x-token', `v1 Tok   ${token}`]]))).toBe(
      true,
    );
    expect(await ok(request(`/?t=${token}`))).toBe(true);
    expect(await ok(request('/', [['cookie', `a=1; jwt="${token}"`]]))).toBe(
      true,
    );
    // The default locations are not read when extractFrom lists any.
    expect(await ok(request('/', [bearer(token)]))).toBe(false);
    // A header without the prefix is not a token.
    expect(await ok(request('/', [['x-token', token]]))).toBe(false);
  });

  it('sets claimToHeaders after removing the client-sent headers; recomputeRoute flags it', async () => {
    const cfg = config(
      {},
      {
        claimToHeaders: [
          { claim: 'sub', header: 'X-Sub' },
          { claim: 'org.id', header: 'x-org' },
          { claim: 'n', header: 'x-n' },
          { claim: 'f', header: 'x-f' },
          { claim: 'b', header: 'x-b' },
          { claim: 'l', header: 'x-l' },
          { claim: 'missing', header: 'x-missing' },
        ],
        recomputeRoute: true,
      },
    );
    const r = request('/', [
      ['x-sub', 'spoofed'],
      ['x-missing', 'spoofed'],
      bearer(
        signJwt(
          key,
          claims({ org: { id: 'o1' }, n: 7, f: 1.5, b: false, l: ['a'] }),
        ),
      ),
    ]);
    const result = await authenticateJwt(cfg, r, ctx);
    expect(result).toMatchObject({ allowed: true, clearRouteCache: true });
    expect(r.allHeaders('x-sub')).toEqual(['user-1']);
    expect(r.firstHeader('x-org')).toBe('o1');
    expect(r.firstHeader('x-n')).toBe('7');
    expect(r.firstHeader('x-f')).toBe('1.500000');
    expect(r.firstHeader('x-b')).toBe('false');
    expect(r.firstHeader('x-l')).toBe(Buffer.from('["a"]').toString('base64'));
    expect(r.firstHeader('x-missing')).toBeUndefined();
  });

  it('optional lets a missing token through but not an invalid one', async () => {
    const cfg = config({ optional: true });
    expect(await authenticateJwt(cfg, request('/'), ctx)).toMatchObject({
      allowed: true,
      payloads: {},
    });
    expect(
      await authenticateJwt(
        cfg,
        request('/', [bearer(signJwt(otherKey, claims()))]),
        ctx,
      ),
    ).toMatchObject({ allowed: false, status: 401 });
  });

  it('failOpen lets an invalid token through without its payload', async () => {
    const cfg = config({ failOpen: true });
    expect(
      await authenticateJwt(
        cfg,
        request('/', [bearer(signJwt(otherKey, claims()))]),
        ctx,
      ),
    ).toEqual({ allowed: true, payloads: {}, clearRouteCache: false });
  });

  it('accepts a token any provider verifies and stores it under that provider', async () => {
    const second = generateTestKey('ES256', 'k2');
    const built = buildJwtConfig({
      providers: [
        {
          name: 'p1',
          issuer: ISSUER,
          localJWKS: { inline: JSON.stringify({ keys: [key.jwk] }) },
        },
        {
          name: 'p2',
          issuer: 'https://second',
          localJWKS: { inline: JSON.stringify({ keys: [second.jwk] }) },
        },
      ],
    }) as JwtAuthnConfig;
    const token = signJwt(second, claims({ iss: 'https://second' }));
    expect(
      await authenticateJwt(built, request('/', [bearer(token)]), ctx),
    ).toMatchObject({ allowed: true, payloads: { p2: { sub: 'user-1' } } });
  });

  it('answers "Jwks doesn\'t have any valid public key" for an invalid inline set', async () => {
    const cfg = config({}, { localJWKS: { inline: '{"keys":[]}' } });
    expect(
      await authenticateJwt(
        cfg,
        request('/', [bearer(signJwt(key, claims()))]),
        ctx,
      ),
    ).toMatchObject({
      status: 401,
      body: "Jwks doesn't have any valid public key",
    });
  });
});

describe('jwt config as Envoy Gateway builds it', () => {
  const provider = {
    name: 'p',
    remoteJWKS: { uri: 'https://idp/jwks' },
  };

  it('defaults the cache duration to the CRD default, 300 s, and refetch to 1 s', () => {
    expect(buildJwtConfig({ providers: [provider] })).toMatchObject({
      providers: [
        {
          keys: {
            type: 'remote',
            settings: {
              uri: 'https://idp/jwks',
              cacheDurationMs: 300_000,
              failedRefetchMs: 1000,
            },
          },
          locations: {
            headers: [{ name: 'authorization', prefix: 'Bearer ' }],
            params: ['access_token'],
          },
        },
      ],
    });
  });

  it.each([
    ['an empty name', [{ ...provider, name: '' }]],
    ['duplicated names', [provider, provider]],
    ['both key sources', [{ ...provider, localJWKS: { inline: '{}' } }]],
    ['an issuer that is not a URI', [{ ...provider, issuer: ':nope' }]],
    [
      'a bad duration',
      [
        {
          ...provider,
          remoteJWKS: { uri: 'https://x', cacheDuration: '5 minutes' },
        },
      ],
    ],
    [
      'a claimToHeader without claim',
      [{ ...provider, claimToHeaders: [{ header: 'x' }] }],
    ],
  ])('is an error (500 route) with %s', (_name, providers) => {
    expect(buildJwtConfig({ providers })).toHaveProperty('error');
  });
});
