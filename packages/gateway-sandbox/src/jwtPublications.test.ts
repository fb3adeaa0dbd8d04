import { KubeObject } from './objects/types';
import { sendToGateway } from './__testUtils__/gatewayClient';
import { Harness, startHarness } from './__testUtils__/harness';
import {
  JwksServer,
  TestKey,
  generateTestKey,
  signJwt,
  startJwksServer,
} from './__testUtils__/jwtIssuer';
import {
  decodedSecretKeys,
  loadGolden,
  openAiPublication,
} from './__testUtils__/kubeObjects';

/**
 * The portal's JWT publications (golden YAMLs: apiKeyAuth + jwt +
 * authorization on the tenant claim) through the double, with a JWKS
 * server on 127.0.0.1 standing for the platform issuer's: api_key_auth,
 * then jwt_authn, on the first-selected route; rbac on the route selected
 * again after AI Gateway's ext_proc.
 */
describe('JWT publications behind the gateway double', () => {
  const ISSUER = 'https://auth.inference-in-a-box/realms/platform';
  const JWKS_URI = `${ISSUER}/protocol/openid-connect/certs`;
  const ROTATING_URI = `${ISSUER}/protocol/openid-connect/rotating-certs`;
  const FAILING_URI = `${ISSUER}/protocol/openid-connect/failing-certs`;
  const GOLD_HOST = 'gold.recompute.svc.cluster.local';
  // A whole minute: rate limit windows start here.
  let now = Date.UTC(2030, 0, 1, 0, 0, 0);
  const rsa = generateTestKey('RS256', 'rsa-1');
  const ec = generateTestKey('ES256', 'ec-1');
  const stranger = generateTestKey('RS256', 'rsa-1');
  let idp: JwksServer;
  let rotating: JwksServer;
  let failing: JwksServer;
  let harness: Harness;

  beforeAll(async () => {
    idp = await startJwksServer([rsa, ec]);
    rotating = await startJwksServer([rsa]);
    failing = await startJwksServer([rsa]);
    failing.failWith(503);
    const urls = new Map([
      [JWKS_URI, idp.url],
      [ROTATING_URI, rotating.url],
      [FAILING_URI, failing.url],
    ]);
    harness = await startHarness({
      clock: () => now,
      resolveJwks: uri => urls.get(uri),
      // The `gold` Backend of the recomputeRoute test has no upstream.
      resolveBackend: (hostname, _port, modelServerUrl) =>
        hostname === GOLD_HOST ? undefined : modelServerUrl,
    });
  });
  afterAll(async () => {
    await harness.close();
    await Promise.all([idp.close(), rotating.close(), failing.close()]);
  });

  /** Claims of a good platform token for `tenant`, valid 5 minutes. */
  const claims = (tenant: string, extra: Record<string, unknown> = {}) => ({
    iss: ISSUER,
    aud: 'inference-gateway',
    sub: 'alice',
    tenant,
    exp: Math.floor(now / 1000) + 300,
    ...extra,
  });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  /** The predictive JWT golden, renamed into `namespace`, maybe reshaped. */
  async function publishPredictive(
    namespace: string,
    change: (objects: KubeObject[]) => void = () => {},
  ) {
    const objects: KubeObject[] = JSON.parse(
      JSON.stringify(loadGolden('predictive-jwt.yaml')).replaceAll(
        'tenant-a',
        namespace,
      ),
    );
    change(objects);
    await harness.publish(objects);
    const [apiKey] = Object.values(decodedSecretKeys(objects));
    return (headers: Record<string, string>) =>
      sendToGateway(harness.gateway.url, {
        host: 'api.router.inference-in-a-box',
        path: `/models/${namespace}/sklearn-iris/v1/models/sklearn-iris:predict`,
        headers: { 'x-api-key': apiKey, ...headers },
        body: { instances: [[6.8, 2.8, 4.8, 1.4]] },
      });
  }

  const jwksUriOf = (objects: KubeObject[], uri: string) => {
    const policy = objects.find(o => o.kind === 'SecurityPolicy')!;
    policy.spec.jwt.providers[0].remoteJWKS.uri = uri;
  };

  describe('predictive (HTTPRoute)', () => {
    let send: Awaited<ReturnType<typeof publishPredictive>>;
    beforeAll(async () => {
      send = await publishPredictive('tenant-a');
    });
    const REALM =
      'Bearer realm="http://api.router.inference-in-a-box/models/tenant-a/sklearn-iris/v1/models/sklearn-iris:predict"';

    it('answers 401 "Jwt is missing" with the bare Bearer challenge', async () => {
      const response = await send({});
      expect(response.status).toBe(401);
      expect(response.text).toBe('Jwt is missing');
      expect(response.headers['www-authenticate']).toBe(REALM);
    });

    it('runs api_key_auth first: a good token without an API key gets its 401', async () => {
      const response = await send({
        'x-api-key': '',
        ...bearer(signJwt(rsa, claims('tenant-a'))),
      });
      expect(response.status).toBe(401);
      expect(response.text).toBe('Client authentication failed.');
      expect(response.headers['www-authenticate']).toBeUndefined();
    });

    it.each([
      [
        'a signature by another key',
        () => signJwt(stranger, claims('tenant-a')),
        401,
        'Jwt verification fails',
      ],
      [
        'another issuer',
        () => signJwt(rsa, claims('tenant-a', { iss: 'https://evil' })),
        401,
        'Jwt issuer is not configured',
      ],
      [
        'an expired token (61 s past exp)',
        () =>
          signJwt(
            rsa,
            claims('tenant-a', { exp: Math.floor(now / 1000) - 61 }),
          ),
        401,
        'Jwt is expired',
      ],
      // Envoy answers 403, not 401, for this one (filter.cc onComplete).
      [
        'another audience',
        () => signJwt(rsa, claims('tenant-a', { aud: 'other' })),
        403,
        'Audiences in Jwt are not allowed',
      ],
    ])('refuses %s', async (_name, token, status, body) => {
      const response = await send(bearer(token()));
      expect(response.status).toBe(status);
      expect(response.text).toBe(body);
      expect(response.headers['www-authenticate']).toBe(
        `${REALM}, error="invalid_token"`,
      );
    });

    it('answers RBAC 403 to a good token of another tenant', async () => {
      const response = await send(bearer(signJwt(rsa, claims('tenant-b'))));
      expect(response.status).toBe(403);
      expect(response.text).toBe('RBAC: access denied');
    });

    it.each([
      ['RS256', rsa],
      ['ES256', ec],
    ])(
      'lets a %s token of the tenant with an API key through',
      async (_alg, key) => {
        const response = await send(bearer(signJwt(key, claims('tenant-a'))));
        expect(response.status).toBe(200);
        expect(response.text).toMatch(/"predictions":\[\d\]/);
      },
    );

    it('allows 60 s of clock skew past exp', async () => {
      const token = signJwt(
        rsa,
        claims('tenant-a', { exp: Math.floor(now / 1000) - 60 }),
      );
      expect((await send(bearer(token))).status).toBe(200);
    });

    it('fetched the JWKS once for all these requests', () => {
      expect(idp.fetches).toBe(1);
    });
  });

  describe('OpenAI vLLM (AIGatewayRoute)', () => {
    let apiKey: string;
    beforeAll(async () => {
      const objects = loadGolden('openai-vllm-jwt.yaml');
      apiKey = decodedSecretKeys(objects)['ci-7k2p'];
      await harness.publish(objects);
    });
    const ask = (headers: Record<string, string>, model = 'qwen2.5-0.5b') =>
      sendToGateway(harness.gateway.url, {
        host: 'llm.inference-in-a-box',
        path: '/v1/chat/completions',
        headers,
        body: { model, messages: [{ role: 'user', content: 'hi' }] },
      });

    it('answers the model to the tenant with an API key', async () => {
      const response = await ask({
        'x-api-key': apiKey,
        ...bearer(signJwt(ec, claims('tenant-b'))),
      });
      expect(response.status).toBe(200);
      expect(response.text).toContain('Mock reply from qwen2.5-0.5b: hi');
    });

    it('answers RBAC 403 to another tenant', async () => {
      const response = await ask({
        'x-api-key': apiKey,
        ...bearer(signJwt(ec, claims('tenant-a'))),
      });
      expect(response.status).toBe(403);
      expect(response.text).toBe('RBAC: access denied');
    });

    describe('with an API-key-only publication on the same hostname', () => {
      beforeAll(async () => {
        await harness.publish(
          openAiPublication({
            namespace: 'open-ns',
            name: 'open',
            hostname: 'llm.inference-in-a-box',
            model: 'llama-3.1-8b',
            apiKey: 'sk-open',
          }),
        );
      });

      it("runs rbac on the route re-selected from the body's model, without the jwt metadata of a route jwt_authn did not run on", async () => {
        // First route: open's (header), whose policy has no jwt; after
        // ext_proc the body's model selects qwen's, whose rbac finds no
        // verified claims.
        const spoofed = {
          'x-ai-eg-model': 'llama-3.1-8b',
          'x-api-key': 'sk-open',
          ...bearer(signJwt(ec, claims('tenant-b'))),
        };
        const response = await ask(spoofed);
        expect(response.status).toBe(403);
        expect(response.text).toBe('RBAC: access denied');
        // The same headers asking open's own model are served.
        expect((await ask(spoofed, 'llama-3.1-8b')).status).toBe(200);
      });
    });
  });

  it('picks up a rotated key once the cache duration (less 5 s) has passed', async () => {
    const send = await publishPredictive('rotation', objects =>
      jwksUriOf(objects, ROTATING_URI),
    );
    const withKey = (key: TestKey) =>
      send(bearer(signJwt(key, claims('rotation'))));
    expect((await withKey(rsa)).status).toBe(200);
    expect(rotating.fetches).toBe(1);

    const next = generateTestKey('RS256', 'rsa-2');
    rotating.setKeys([next]);
    const unknownKid = await withKey(next);
    expect(unknownKid.status).toBe(401);
    expect(unknownKid.text).toBe(
      "Jwks doesn't have key to match kid or alg from Jwt",
    );

    // cacheDuration 300s (the CRD default): Envoy refetches at 295 s.
    now += 294_000;
    expect((await withKey(next)).status).toBe(401);
    expect(rotating.fetches).toBe(1);
    now += 1_000;
    expect((await withKey(next)).status).toBe(200);
    expect(rotating.fetches).toBe(2);
    expect((await withKey(rsa)).status).toBe(401);
  });

  it('selects the route again after a claim header is set (recomputeRoute)', async () => {
    const send = await publishPredictive('recompute', objects => {
      const policy = objects.find(o => o.kind === 'SecurityPolicy')!;
      Object.assign(policy.spec.jwt.providers[0], {
        claimToHeaders: [{ claim: 'tier', header: 'x-tier' }],
        recomputeRoute: true,
      });
      const route = objects.find(o => o.kind === 'HTTPRoute')!;
      const [rule] = route.spec.rules;
      route.spec.rules.unshift({
        matches: [
          { ...rule.matches[0], headers: [{ name: 'x-tier', value: 'gold' }] },
        ],
        backendRefs: [
          { group: 'gateway.envoyproxy.io', kind: 'Backend', name: 'gold' },
        ],
      });
      objects.push({
        apiVersion: 'gateway.envoyproxy.io/v1alpha1',
        kind: 'Backend',
        metadata: { name: 'gold', namespace: 'recompute' },
        spec: { endpoints: [{ fqdn: { hostname: GOLD_HOST, port: 80 } }] },
      });
    });
    const gold = await send(
      bearer(signJwt(rsa, claims('recompute', { tier: 'gold' }))),
    );
    expect(gold.status).toBe(503);
    expect(gold.text).toBe('no healthy upstream');
    const plain = await send(bearer(signJwt(rsa, claims('recompute'))));
    expect(plain.status).toBe(200);
  });

  it('refuses with 401 "Jwks remote fetch is failed" when the JWKS cannot be fetched', async () => {
    const send = await publishPredictive('jwks-down', objects =>
      jwksUriOf(objects, FAILING_URI),
    );
    const response = await send(bearer(signJwt(rsa, claims('jwks-down'))));
    expect(response.status).toBe(401);
    expect(response.text).toBe('Jwks remote fetch is failed');
    expect(response.headers['www-authenticate']).toMatch(
      /, error="invalid_token"$/,
    );
    expect(failing.fetches).toBeGreaterThan(0);
  });

  it('refuses with 500 a policy using an authorization field the double lacks (CEL)', async () => {
    const send = await publishPredictive('cel-tenant', objects => {
      const policy = objects.find(o => o.kind === 'SecurityPolicy')!;
      policy.spec.authorization.rules[0].cel = "request.method == 'POST'";
    });
    const response = await send(bearer(signJwt(rsa, claims('cel-tenant'))));
    expect(response.status).toBe(500);
    expect(response.text).toMatch(
      /uses authorization\.rules\[0\]\.cel, which this test double does not support yet/,
    );
  });
});
