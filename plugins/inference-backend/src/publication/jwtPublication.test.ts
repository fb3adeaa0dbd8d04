// A JWT publication against the sandbox (which validates against the vendored Envoy Gateway v1.9.0
// CRD): the stored SecurityPolicy checks the configured audiences and lets only tokens whose
// `tenant` claim is the publication's tenant through; publishing again changes nothing.
import type { InferenceTestBackend } from '../__testUtils__';
import {
  apiAs,
  irisSpec,
  startPluginBackend,
  storedObject,
} from '../__testUtils__';

jest.setTimeout(60_000);

describe('a JWT publication in the sandbox', () => {
  let backend: InferenceTestBackend;

  beforeAll(async () => {
    backend = await startPluginBackend({
      config: {
        publishing: {
          defaultHostname: 'api.router.inference-in-a-box',
          jwt: {
            issuer: 'https://issuer.example',
            jwksUri: 'https://issuer.example/jwks.json',
            audiences: ['inference-gateway'],
          },
        },
      },
    });
  });
  afterAll(() => backend?.stop());

  it('stores the audience check and the tenant rule, and re-publishing is a no-op', async () => {
    const devB = apiAs(backend, 'dev-b');
    await devB.createReadyModel('tenant-b', irisSpec());
    const request = {
      publicModelName: 'iris',
      auth: { apiKey: true, jwt: true },
      limits: { requestsPerMinute: 60 },
    };
    const path = '/models/local/tenant-b/iris/publication';
    const published = await devB.put(path, request);
    expect(published.status).toBe(200);
    expect(published.body.publication.auth).toEqual({
      apiKey: true,
      jwt: true,
    });
    const policy = storedObject(
      backend,
      'securityPolicy',
      'tenant-b',
      'iris-auth',
    ) as unknown as { spec: any };
    expect(policy.spec.jwt.providers[0].audiences).toEqual([
      'inference-gateway',
    ]);
    // Only tokens of the publication's tenant pass (the rule's shape: jwtSecurityPolicy.test.ts).
    const { defaultAction, rules } = policy.spec.authorization;
    expect(defaultAction).toBe('Deny');
    expect(rules.map((r: any) => [r.action, r.principal.jwt])).toEqual([
      [
        'Allow',
        {
          provider: 'platform-jwt',
          claims: [
            { name: 'tenant', valueType: 'String', values: ['tenant-b'] },
          ],
        },
      ],
    ]);
    const again = await devB.put(`${path}?dryRun=true`, request);
    expect(again.status).toBe(200);
    expect(
      again.body.changes.filter(
        (c: { action: string }) => c.action !== 'unchanged',
      ),
    ).toEqual([]);
  });
});
