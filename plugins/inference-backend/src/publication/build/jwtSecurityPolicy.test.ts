import { buildPublicationObjects } from './buildPublicationObjects';
import { crdCatalog as catalog } from './__testUtils__/crdProblems';
import {
  predictiveInput,
  vllmJwtInput,
  irisIsvc,
} from './publicationInputs.fixtures';

/**
 * The SecurityPolicy of a JWT publication: the provider's audiences and the rule that admits only
 * tokens whose `tenant` claim is the publication's tenant (Envoy Gateway v1.9.0 SecurityPolicy).
 */
describe('the JWT part of a publication', () => {
  it('checks the JWT provider and tenant rule against the CRD schema (Envoy Gateway v1.9.0)', () => {
    const policy = buildPublicationObjects(
      vllmJwtInput({ requestsPerMinute: 30 }),
    ).find(o => o.kind === 'SecurityPolicy')!;
    expect(catalog.validate(policy, { strict: true })).toEqual([]);
    const spec = policy.spec as any;
    const rule = spec.authorization.rules[0];
    const broken = {
      ...policy,
      spec: {
        ...spec,
        jwt: {
          providers: [
            { ...spec.jwt.providers[0], audiences: 'inference-gateway' },
          ],
        },
        authorization: {
          defaultAction: 'Refuse',
          rules: [
            {
              ...rule,
              principal: {
                jwt: {
                  ...rule.principal.jwt,
                  claims: [{ name: 'tenant', valueType: 'Number' }],
                },
              },
            },
          ],
        },
      },
    };
    expect(
      catalog.validate(broken, { strict: true }).map(c => c.field),
    ).toEqual(
      expect.arrayContaining([
        'spec.jwt.providers[0].audiences',
        'spec.authorization.defaultAction',
        'spec.authorization.rules[0].principal.jwt.claims[0].valueType',
        'spec.authorization.rules[0].principal.jwt.claims[0].values',
      ]),
    );
  });

  describe('the JWT tenant rule', () => {
    /** A predictive JWT publication of `tenant`, as the builder emits its SecurityPolicy. */
    const jwtPolicyOf = (tenant: string) =>
      buildPublicationObjects(
        predictiveInput({
          tenant,
          namespace: tenant,
          model: {
            name: 'sklearn-iris',
            isvc: {
              ...irisIsvc,
              metadata: { ...irisIsvc.metadata, namespace: tenant },
            },
          },
          request: {
            publicModelName: 'sklearn-iris',
            auth: { apiKey: true, jwt: true },
            limits: { requestsPerMinute: 10 },
          },
        }),
      ).find(o => o.kind === 'SecurityPolicy')!.spec as any;

    /**
     * Envoy Gateway's authorization decision for a verified token's claims, as documented in
     * api/v1alpha1/authorization_types.go (v1.9.0): rules in order, the first whose principal
     * matches decides; all claims of a rule must match, a String claim exactly one of `values`;
     * `defaultAction` (Deny when unset) when no rule matches. Only JWT principals are modelled.
     */
    function decide(
      spec: any,
      provider: string,
      claims: Record<string, unknown>,
    ): 'Allow' | 'Deny' {
      const authorization = spec.authorization;
      if (!authorization) return 'Allow';
      for (const rule of authorization.rules ?? []) {
        const jwt = rule.principal?.jwt;
        if (!jwt || jwt.provider !== provider) continue;
        const matches = (jwt.claims ?? []).every((claim: any) => {
          const value = claim.name
            .split('.')
            .reduce((v: any, k: string) => v?.[k], claims);
          return claim.valueType === 'StringArray'
            ? Array.isArray(value) && value.some(v => claim.values.includes(v))
            : typeof value === 'string' && claim.values.includes(value);
        });
        if (matches) return rule.action;
      }
      return authorization.defaultAction ?? 'Deny';
    }

    it("refuses a tenant-b token on tenant-a's publication and accepts tenant-a's", () => {
      const spec = jwtPolicyOf('tenant-a');
      const provider = spec.jwt.providers[0].name;
      const token = (tenant?: string) => ({
        iss: spec.jwt.providers[0].issuer,
        aud: 'inference-gateway',
        sub: tenant,
        ...(tenant ? { tenant } : {}),
      });
      expect(decide(spec, provider, token('tenant-a'))).toBe('Allow');
      expect(decide(spec, provider, token('tenant-b'))).toBe('Deny');
      expect(decide(spec, provider, token())).toBe('Deny');
      // The claim's value is the publication's tenant, and nothing else is allowed.
      expect(spec.authorization).toEqual({
        defaultAction: 'Deny',
        rules: [
          {
            name: 'allow-publication-tenant',
            action: 'Allow',
            principal: {
              jwt: {
                provider,
                claims: [
                  { name: 'tenant', valueType: 'String', values: ['tenant-a'] },
                ],
              },
            },
          },
        ],
      });
      expect(
        jwtPolicyOf('tenant-b').authorization.rules[0].principal.jwt.claims[0]
          .values,
      ).toEqual(['tenant-b']);
    });

    it('always checks the audience', () => {
      expect(jwtPolicyOf('tenant-a').jwt.providers[0].audiences).toEqual([
        'inference-gateway',
      ]);
    });

    it('is absent without JWT: API keys alone decide', () => {
      const spec = buildPublicationObjects(predictiveInput()).find(
        o => o.kind === 'SecurityPolicy',
      )!.spec as any;
      expect(spec.jwt).toBeUndefined();
      expect(spec.authorization).toBeUndefined();
    });
  });
});
