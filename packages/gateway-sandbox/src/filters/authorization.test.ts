import { GatewayRequest } from '../request';
import {
  AuthorizationConfig,
  authorizeRequest,
  buildAuthorizationConfig,
  unsupportedAuthorizationFields,
} from './authorization';
import { JwtPayloads } from './jwtAuthn';

function build(authorization: unknown): AuthorizationConfig {
  const built = buildAuthorizationConfig(authorization);
  if ('error' in built) throw new Error(built.error);
  return built;
}

function request(
  method: string,
  path: string,
  headers: Array<[string, string]> = [],
  clientAddress = '127.0.0.1',
) {
  const r = new GatewayRequest(method, path, headers);
  r.clientAddress = clientAddress;
  return r;
}

const allowed = (
  config: AuthorizationConfig,
  r: GatewayRequest,
  jwtPayloads: JwtPayloads = {},
) => authorizeRequest(config, { request: r, jwtPayloads }).allowed;

describe('authorization (Envoy RBAC as Envoy Gateway builds it)', () => {
  it('denies by default with 403 "RBAC: access denied"', () => {
    expect(
      authorizeRequest(build({}), {
        request: request('GET', '/'),
        jwtPayloads: {},
      }),
    ).toEqual({
      allowed: false,
      status: 403,
      body: 'RBAC: access denied',
      rule: undefined,
    });
    expect(
      allowed(build({ defaultAction: 'Allow' }), request('GET', '/')),
    ).toBe(true);
  });

  it('applies the first matching rule', () => {
    const config = build({
      defaultAction: 'Allow',
      rules: [
        {
          name: 'local',
          action: 'Allow',
          principal: { clientCIDRs: ['127.0.0.0/8'] },
        },
        {
          name: 'rest',
          action: 'Deny',
          principal: { clientCIDRs: ['0.0.0.0/0'] },
        },
      ],
    });
    expect(
      authorizeRequest(config, {
        request: request('GET', '/'),
        jwtPayloads: {},
      }),
    ).toEqual({
      allowed: true,
      rule: 'local',
    });
    expect(allowed(config, request('GET', '/', [], '10.1.2.3'))).toBe(false);
  });

  it('matches client CIDRs on the socket address, never X-Forwarded-For', () => {
    const config = build({
      rules: [
        {
          action: 'Allow',
          principal: { clientCIDRs: ['10.0.0.0/8', '2001:db8::/32'] },
        },
      ],
    });
    expect(
      allowed(config, request('GET', '/', [['x-forwarded-for', '10.0.0.1']])),
    ).toBe(false);
    expect(allowed(config, request('GET', '/', [], '10.9.9.9'))).toBe(true);
    expect(allowed(config, request('GET', '/', [], '2001:db8::1'))).toBe(true);
    expect(allowed(config, request('GET', '/', [], '2001:db9::1'))).toBe(false);
  });

  it('ANDs methods, path and headers; values of a field are ORed', () => {
    const config = build({
      rules: [
        {
          action: 'Allow',
          operation: {
            methods: ['GET', 'HEAD'],
            path: { type: 'PathPrefix', value: '/api/' },
          },
          principal: { headers: [{ name: 'X-Team', values: ['a', 'b'] }] },
        },
      ],
    });
    const team: Array<[string, string]> = [['x-team', 'b']];
    expect(allowed(config, request('get', '/api?x=1', team))).toBe(true);
    expect(allowed(config, request('GET', '/api/v1', team))).toBe(true);
    expect(allowed(config, request('GET', '/apiv1', team))).toBe(false);
    expect(allowed(config, request('POST', '/api', team))).toBe(false);
    expect(allowed(config, request('GET', '/api', [['x-team', 'c']]))).toBe(
      false,
    );
    // Repeated header values are joined with ',' before the exact match.
    expect(
      allowed(
        config,
        request('GET', '/api', [
          ['x-team', 'a'],
          ['x-team', 'b'],
        ]),
      ),
    ).toBe(false);
  });

  it('matches Exact and RegularExpression paths on :path, with invert', () => {
    const exact = build({
      rules: [
        {
          action: 'Allow',
          operation: { path: { type: 'Exact', value: '/v1/models' } },
        },
      ],
    });
    expect(allowed(exact, request('GET', '/v1/models?limit=1'))).toBe(true);
    expect(allowed(exact, request('GET', '/v1/models/x'))).toBe(false);
    const notAdmin = build({
      rules: [
        {
          action: 'Allow',
          operation: {
            path: {
              type: 'RegularExpression',
              value: '/admin.*',
              invert: true,
            },
          },
        },
      ],
    });
    expect(allowed(notAdmin, request('GET', '/admin/x'))).toBe(false);
    expect(allowed(notAdmin, request('GET', '/public'))).toBe(true);
  });

  it('matches JWT claims (String, StringArray, nested) and scopes of the named provider', () => {
    const config = build({
      rules: [
        {
          action: 'Allow',
          principal: {
            jwt: {
              provider: 'idp',
              claims: [
                { name: 'tenant', values: ['t1', 't2'] },
                {
                  name: 'org.groups',
                  valueType: 'StringArray',
                  values: ['admins'],
                },
              ],
              scopes: ['models:read'],
            },
          },
        },
      ],
    });
    const payload = {
      tenant: 't2',
      org: { groups: ['users', 'admins'] },
      scope: ['openid', 'models:read'],
    };
    expect(allowed(config, request('GET', '/'), { idp: payload })).toBe(true);
    expect(allowed(config, request('GET', '/'), { other: payload })).toBe(
      false,
    );
    expect(
      allowed(config, request('GET', '/'), {
        idp: { ...payload, tenant: 't3' },
      }),
    ).toBe(false);
    expect(
      allowed(config, request('GET', '/'), {
        idp: { ...payload, tenant: ['t1'] },
      }),
    ).toBe(false);
    expect(
      allowed(config, request('GET', '/'), {
        idp: { ...payload, org: { groups: 'admins' } },
      }),
    ).toBe(false);
    expect(
      allowed(config, request('GET', '/'), {
        idp: { ...payload, scope: undefined, scp: ['models:read'] },
      }),
    ).toBe(true);
    expect(
      allowed(config, request('GET', '/'), {
        idp: { ...payload, scope: ['openid'] },
      }),
    ).toBe(false);
  });

  it('is an Envoy Gateway error (500 route) for a bad CIDR or regex', () => {
    expect(
      buildAuthorizationConfig({
        rules: [
          { action: 'Allow', principal: { clientCIDRs: ['10.0.0.0/33'] } },
        ],
      }),
    ).toHaveProperty('error');
    expect(
      buildAuthorizationConfig({
        rules: [
          {
            action: 'Allow',
            operation: { path: { type: 'RegularExpression', value: '(' } },
          },
        ],
      }),
    ).toHaveProperty('error');
  });

  it('reports CEL and GeoIP principals as not reproduced', () => {
    expect(
      unsupportedAuthorizationFields({
        rules: [
          { action: 'Allow', cel: 'true' },
          {
            action: 'Allow',
            principal: { clientIPGeoLocations: [{ country: 'FR' }] },
          },
        ],
      }),
    ).toEqual([
      'authorization.rules[0].cel',
      'authorization.rules[1].principal.clientIPGeoLocations',
    ]);
  });
});
