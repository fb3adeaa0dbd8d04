import { GatewayRequest } from '../request';
import { ApiKeyAuthConfig, authenticateApiKey } from './apiKeyAuth';

const config = (
  overrides: Partial<ApiKeyAuthConfig> = {},
): ApiKeyAuthConfig => ({
  credentials: new Map([['sk-1', 'client-1']]),
  sources: [
    { header: 'x-api-key' },
    { header: 'authorization' },
    { query: 'key' },
    { cookie: 'k' },
  ],
  forwardClientIdHeader: 'x-client-id',
  sanitize: true,
  ...overrides,
});

const request = (path: string, headers: Array<[string, string]>) =>
  new GatewayRequest('GET', path, headers);

describe('api_key_auth', () => {
  it('strips only an exact "Bearer " prefix', () => {
    expect(
      authenticateApiKey(
        config(),
        request('/', [['authorization', 'Bearer sk-1']]),
      ).allowed,
    ).toBe(true);
    expect(
      authenticateApiKey(
        config(),
        request('/', [['authorization', 'bearer sk-1']]),
      ).allowed,
    ).toBe(false);
  });

  it('uses the first source that has a value', () => {
    const result = authenticateApiKey(
      config(),
      request('/', [
        ['x-api-key', 'wrong'],
        ['authorization', 'Bearer sk-1'],
      ]),
    );
    expect(result).toEqual({
      allowed: false,
      status: 401,
      body: 'Client authentication failed.',
    });
  });

  it('reads query params and cookies, forwards the client id and sanitizes every source', () => {
    // An empty header value is skipped, as Envoy does; the query param is used.
    const fromQuery = request('/p?key=sk-1&a=b', [['x-api-key', '']]);
    expect(authenticateApiKey(config(), fromQuery)).toEqual({
      allowed: true,
      clientId: 'client-1',
    });
    expect(fromQuery.query).toBe('a=b');
    expect(fromQuery.firstHeader('x-api-key')).toBeUndefined();
    expect(fromQuery.firstHeader('x-client-id')).toBe('client-1');

    const fromCookie = request('/', [['cookie', 'a=1; k="sk-1"']]);
    expect(authenticateApiKey(config(), fromCookie).allowed).toBe(true);
    expect(fromCookie.firstHeader('cookie')).toBe('a=1');
  });

  it('keeps the key when sanitize is off', () => {
    const r = request('/', [['x-api-key', 'sk-1']]);
    expect(authenticateApiKey(config({ sanitize: false }), r).allowed).toBe(
      true,
    );
    expect(r.firstHeader('x-api-key')).toBe('sk-1');
  });
});
