import {
  KubeSandbox,
  loadCrdCatalog,
  startKubeSandbox,
} from '@internal/kube-sandbox';
import { KubeObject } from '../../models/types';
import { buildPublicationObjects } from './buildPublicationObjects';
import { openAiInput, predictiveInput } from './publicationInputs.fixtures';
import { validateCelRules } from './validateCelRules';

const openAiObjects = buildPublicationObjects(openAiInput());
const predictiveObjects = buildPublicationObjects(
  predictiveInput({
    request: {
      ...predictiveInput().request,
      auth: { apiKey: true, jwt: true },
    },
  }),
);

// Each hand-written rule is checked against the real CRD rule: a started kube-sandbox evaluates
// the vendored CRDs' x-kubernetes-validations on a server-side apply with dryRun=All.
jest.setTimeout(60_000);

const catalog = loadCrdCatalog();
let sandbox: KubeSandbox;

beforeAll(async () => {
  sandbox = await startKubeSandbox({ controllers: false });
  const namespaces = new Set(
    [...openAiObjects, ...predictiveObjects].map(o => o.metadata.namespace),
  );
  for (const name of namespaces) {
    if (!name) continue;
    await fetch(`${sandbox.url}/api/v1/namespaces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ metadata: { name } }),
    });
  }
});

afterAll(async () => {
  await sandbox?.close();
});

/**
 * The API server's verdict on an object (server-side apply, dryRun=All): its HTTP status and
 * its causes as `<field>: <message>`, without the `Invalid value: "<type>": ` prefix.
 */
async function sandboxVerdict(
  obj: KubeObject,
): Promise<{ status: number; messages: string[] }> {
  const kind = catalog.find(obj.apiVersion, obj.kind)!;
  const base = obj.apiVersion.includes('/') ? '/apis' : '/api';
  const ns = obj.metadata.namespace
    ? `/namespaces/${obj.metadata.namespace}`
    : '';
  const response = await fetch(
    `${sandbox.url}${base}/${obj.apiVersion}${ns}/${kind.plural}/${obj.metadata.name}?fieldManager=cel-test&force=true&dryRun=All`,
    {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
      body: JSON.stringify(obj),
    },
  );
  const body = await response.json();
  const causes: { field: string; message: string }[] =
    body.details?.causes ?? [];
  return {
    status: response.status,
    messages: causes.map(
      c => `${c.field}: ${c.message.replace(/^Invalid value: "[^"]*": /, '')}`,
    ),
  };
}

function find(objects: KubeObject[], kind: string): KubeObject {
  return structuredClone(objects.find(o => o.kind === kind)!);
}

/** Returns a copy of `kind` from the built objects with its spec changed by `mutate`. */
function broken(
  objects: KubeObject[],
  kind: string,
  mutate: (spec: any) => void,
): KubeObject {
  const obj = find(objects, kind);
  mutate(obj.spec);
  return obj;
}

function messagesFor(obj: KubeObject): string[] {
  return validateCelRules([obj]).map(v => `${v.field}: ${v.message}`);
}

describe('validateCelRules', () => {
  it('passes every object the builders make, as the real rules do', async () => {
    const all = [...openAiObjects, ...predictiveObjects];
    expect(validateCelRules(all)).toEqual([]);
    for (const obj of all) {
      const verdict = await sandboxVerdict(obj);
      expect({ obj: `${obj.kind}/${obj.metadata.name}`, ...verdict }).toEqual({
        obj: `${obj.kind}/${obj.metadata.name}`,
        // 201 when the dry-run apply would create the object
        status: verdict.status === 201 ? 201 : 200,
        messages: [],
      });
    }
  });

  it.each<[string, KubeObject[], string, (spec: any) => void, string]>([
    [
      'AIServiceBackend to a Service',
      openAiObjects,
      'AIServiceBackend',
      s => {
        s.backendRef = { name: 'x', kind: 'Service', group: '' };
      },
      'spec.backendRef: BackendRef must be a Backend resource of Envoy Gateway',
    ],
    [
      'AIGatewayRoute attached to a non-Gateway',
      openAiObjects,
      'AIGatewayRoute',
      s => {
        s.parentRefs[0].kind = 'Service';
      },
      'spec.parentRefs: only Gateway is supported',
    ],
    [
      'AIGatewayRoute with duplicate rule names',
      openAiObjects,
      'AIGatewayRoute',
      s => {
        s.rules = [
          { ...s.rules[0], name: 'a' },
          { ...s.rules[0], name: 'a' },
        ];
      },
      'spec.rules: rule name must be unique within the route',
    ],
    [
      'AIGatewayRoute with the reserved rule name',
      openAiObjects,
      'AIGatewayRoute',
      s => {
        s.rules[0].name = 'route-not-found';
      },
      'spec.rules[0]: rule name route-not-found is reserved',
    ],
    [
      'AIGatewayRoute backendRef with group but no kind',
      openAiObjects,
      'AIGatewayRoute',
      s => {
        s.rules[0].backendRefs[0].group = 'inference.networking.k8s.io';
      },
      'spec.rules[0].backendRefs[0]: group and kind must be specified together',
    ],
    [
      'AIGatewayRoute mixing InferencePool and AIServiceBackend',
      openAiObjects,
      'AIGatewayRoute',
      s => {
        s.rules[0].backendRefs.push({
          name: 'pool',
          group: 'inference.networking.k8s.io',
          kind: 'InferencePool',
        });
      },
      'spec.rules[0]: cannot mix InferencePool and AIServiceBackend references in the same rule',
    ],
    [
      'AIGatewayRoute backendRef of another kind',
      openAiObjects,
      'AIGatewayRoute',
      s => {
        s.rules[0].backendRefs = [
          { name: 'svc', group: 'core', kind: 'Service' },
        ];
      },
      'spec.rules[0].backendRefs[0]: only InferencePool from inference.networking.k8s.io group is supported',
    ],
    [
      'SecurityPolicy with targetRef and targetRefs',
      openAiObjects,
      'SecurityPolicy',
      s => {
        s.targetRef = s.targetRefs[0];
      },
      'spec: either targetRef or targetRefs must be used',
    ],
    [
      'SecurityPolicy targeting a Service',
      openAiObjects,
      'SecurityPolicy',
      s => {
        s.targetRefs[0] = { group: '', kind: 'Service', name: 'x' };
      },
      'spec: this policy can only have a targetRefs[*].group of gateway.networking.k8s.io',
    ],
    [
      'SecurityPolicy key source with headers and params',
      openAiObjects,
      'SecurityPolicy',
      s => {
        s.apiKeyAuth.extractFrom[0].params = ['key'];
      },
      'spec.apiKeyAuth.extractFrom[0]: exactly one of headers, params, or cookies must be specified',
    ],
    [
      'SecurityPolicy JWT provider without JWKS',
      predictiveObjects,
      'SecurityPolicy',
      s => {
        delete s.jwt.providers[0].remoteJWKS;
      },
      'spec.jwt.providers[0]: either remoteJWKS or localJWKS must be specified.',
    ],
    [
      'SecurityPolicy JWT provider with both JWKS',
      predictiveObjects,
      'SecurityPolicy',
      s => {
        s.jwt.providers[0].localJWKS = { type: 'Inline', inline: '{}' };
      },
      'spec.jwt.providers[0]: remoteJWKS and localJWKS cannot both be specified.',
    ],
    [
      'SecurityPolicy authorization rule with neither principal nor cel',
      predictiveObjects,
      'SecurityPolicy',
      s => {
        delete s.authorization.rules[0].principal;
      },
      'spec.authorization.rules[0]: at least one of principal or cel must be specified',
    ],
    [
      'SecurityPolicy authorization principal without an identity',
      predictiveObjects,
      'SecurityPolicy',
      s => {
        s.authorization.rules[0].principal = {};
      },
      'spec.authorization.rules[0].principal: at least one of clientCIDRs, jwt, headers, or clientIPGeoLocations must be specified',
    ],
    [
      'SecurityPolicy JWT principal without claims or scopes',
      predictiveObjects,
      'SecurityPolicy',
      s => {
        delete s.authorization.rules[0].principal.jwt.claims;
      },
      'spec.authorization.rules[0].principal.jwt: at least one of claims or scopes must be specified',
    ],
    [
      'SecurityPolicy recomputeRoute without claimToHeaders',
      predictiveObjects,
      'SecurityPolicy',
      s => {
        s.jwt.providers[0].recomputeRoute = true;
      },
      'spec.jwt.providers[0]: no such key: claimToHeaders evaluating rule: claimToHeaders must be specified if recomputeRoute is enabled.',
    ],
    [
      'SecurityPolicy JWT optional and failOpen',
      predictiveObjects,
      'SecurityPolicy',
      s => {
        s.jwt.optional = true;
        s.jwt.failOpen = true;
      },
      'spec.jwt: optional and failOpen cannot both be set',
    ],
    [
      'BackendTrafficPolicy without a target',
      openAiObjects,
      'BackendTrafficPolicy',
      s => {
        delete s.targetRefs;
      },
      'spec: either targetRef or targetRefs must be used',
    ],
    [
      'BackendTrafficPolicy empty client selector',
      openAiObjects,
      'BackendTrafficPolicy',
      s => {
        s.rateLimit.global.rules[0].clientSelectors = [{}];
      },
      'spec.rateLimit.global.rules[0].clientSelectors[0]: at least one of headers, methods, path, sourceCIDR or queryParams must be specified',
    ],
    [
      'BackendTrafficPolicy cost with number and metadata',
      openAiObjects,
      'BackendTrafficPolicy',
      s => {
        s.rateLimit.global.rules[2].cost.response.number = 1;
      },
      'spec.rateLimit.global.rules[2].cost.response: only one of number or metadata can be specified',
    ],
    [
      'BackendTrafficPolicy local rule with response cost',
      openAiObjects,
      'BackendTrafficPolicy',
      s => {
        s.rateLimit = {
          type: 'Local',
          local: { rules: [s.rateLimit.global.rules[2]] },
        };
      },
      'spec.rateLimit.local.rules: response cost is not supported for Local Rate Limits',
    ],
    [
      'HTTPRoute prefix rewrite with two matches',
      predictiveObjects,
      'HTTPRoute',
      s => {
        s.rules[0].matches.push({
          path: { type: 'PathPrefix', value: '/other' },
        });
      },
      'spec.rules[0]: When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified',
    ],
    [
      'HTTPRoute prefix rewrite on an exact match',
      predictiveObjects,
      'HTTPRoute',
      s => {
        s.rules[0].matches[0].path.type = 'Exact';
      },
      'spec.rules[0]: When using URLRewrite filter with path.replacePrefixMatch',
    ],
    [
      'HTTPRoute path with //',
      predictiveObjects,
      'HTTPRoute',
      s => {
        s.rules[0].matches[0].path.value = '/models//x';
      },
      "spec.rules[0].matches[0].path: must not contain '//'",
    ],
    [
      'HTTPRoute relative path',
      predictiveObjects,
      'HTTPRoute',
      s => {
        s.rules[0].matches[0].path.value = 'models/x';
      },
      "spec.rules[0].matches[0].path: value must be an absolute path and start with '/'",
    ],
    [
      'HTTPRoute path ending in /..',
      predictiveObjects,
      'HTTPRoute',
      s => {
        s.rules[0].matches[0].path.value = '/models/..';
      },
      "spec.rules[0].matches[0].path: must not end with '/..'",
    ],
    [
      'HTTPRoute path with a space',
      predictiveObjects,
      'HTTPRoute',
      s => {
        s.rules[0].matches[0].path.value = '/models/a b';
      },
      'spec.rules[0].matches[0].path: must only contain valid characters',
    ],
    [
      'HTTPRoute Service without port',
      predictiveObjects,
      'HTTPRoute',
      s => {
        s.rules[0].backendRefs[0] = { group: '', kind: 'Service', name: 'p' };
      },
      'spec.rules[0].backendRefs[0]: Must have port for Service reference',
    ],
    [
      'HTTPRoute URLRewrite filter without its field',
      predictiveObjects,
      'HTTPRoute',
      s => {
        delete s.rules[0].filters[0].urlRewrite;
      },
      'spec.rules[0].filters[0]: filter.urlRewrite must be specified for URLRewrite filter.type',
    ],
    [
      'HTTPRoute repeated URLRewrite',
      predictiveObjects,
      'HTTPRoute',
      s => {
        s.rules[0].filters.push(s.rules[0].filters[0]);
      },
      'spec.rules[0].filters: URLRewrite filter cannot be repeated',
    ],
    [
      'HTTPRoute replacePrefixMatch with the wrong type',
      predictiveObjects,
      'HTTPRoute',
      s => {
        s.rules[0].filters[0].urlRewrite.path.type = 'ReplaceFullPath';
      },
      "spec.rules[0].filters[0].urlRewrite.path: type must be 'ReplacePrefixMatch' when replacePrefixMatch is set",
    ],
    [
      'Backend mixing fqdn and ip',
      openAiObjects,
      'Backend',
      s => {
        s.endpoints.push({ ip: { address: '10.0.0.1', port: 80 } });
      },
      'spec.endpoints: fqdn addresses cannot be mixed with other address types',
    ],
    [
      'Backend endpoint with fqdn and ip',
      openAiObjects,
      'Backend',
      s => {
        s.endpoints[0].ip = { address: '10.0.0.1', port: 80 };
      },
      'spec.endpoints[0]: only one of fqdn, ip or unix can be specified',
    ],
    [
      'AuthorizationPolicy with selector and targetRef',
      openAiObjects,
      'AuthorizationPolicy',
      s => {
        s.targetRef = { kind: 'Gateway', name: 'g' };
      },
      'spec: only one of targetRefs or selector can be set',
    ],
    [
      'AuthorizationPolicy wildcard label key',
      openAiObjects,
      'AuthorizationPolicy',
      s => {
        s.selector.matchLabels = { 'app*': 'x' };
      },
      'spec.selector.matchLabels: wildcard not allowed in label key match',
    ],
    // The remaining hand-written rules, so that each one is compared with the real CRD rule.
    [
      'SecurityPolicy targeting a Service of the Gateway API group',
      openAiObjects,
      'SecurityPolicy',
      s => {
        s.targetRefs[0].kind = 'Service';
      },
      'spec: this policy can only have a targetRefs[*].kind of Gateway/ListenerSet/HTTPRoute/GRPCRoute/TCPRoute',
    ],
    [
      'SecurityPolicy recomputeRoute with no claimToHeaders entries',
      predictiveObjects,
      'SecurityPolicy',
      s => {
        s.jwt.providers[0].recomputeRoute = true;
        s.jwt.providers[0].claimToHeaders = [];
      },
      'spec.jwt.providers[0]: claimToHeaders must be specified if recomputeRoute is enabled.',
    ],
    [
      'AIGatewayRoute rule with two InferencePools',
      openAiObjects,
      'AIGatewayRoute',
      s => {
        const pool = (name: string) => ({
          name,
          group: 'inference.networking.k8s.io',
          kind: 'InferencePool',
        });
        s.rules[0].backendRefs = [pool('a'), pool('b')];
      },
      'spec.rules[0]: only one InferencePool backend is allowed per rule',
    ],
    [
      'HTTPRoute with duplicate rule names',
      predictiveObjects,
      'HTTPRoute',
      s => {
        s.rules = [
          { ...s.rules[0], name: 'a' },
          { ...s.rules[0], name: 'a' },
        ];
      },
      'spec.rules: Rule name must be unique within the route',
    ],
    [
      'HTTPRoute with a redirect and a rewrite',
      predictiveObjects,
      'HTTPRoute',
      s => {
        s.rules[0].filters.push({
          type: 'RequestRedirect',
          requestRedirect: { scheme: 'https' },
        });
      },
      'spec.rules[0].filters: May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both',
    ],
    [
      'HTTPRoute filter carrying the field of another type',
      predictiveObjects,
      'HTTPRoute',
      s => {
        s.rules[0].filters[0].requestHeaderModifier = {
          set: [{ name: 'x', value: 'y' }],
        };
      },
      'spec.rules[0].filters[0]: filter.requestHeaderModifier must be nil if the filter.type is not RequestHeaderModifier',
    ],
    [
      'HTTPRoute ReplacePrefixMatch without its value',
      predictiveObjects,
      'HTTPRoute',
      s => {
        delete s.rules[0].filters[0].urlRewrite.path.replacePrefixMatch;
      },
      "spec.rules[0].filters[0].urlRewrite.path: replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'",
    ],
    [
      'HTTPRoute path with /./',
      predictiveObjects,
      'HTTPRoute',
      s => {
        s.rules[0].matches[0].path.value = '/models/./x';
      },
      "spec.rules[0].matches[0].path: must not contain '/./'",
    ],
    [
      'HTTPRoute path with an encoded slash',
      predictiveObjects,
      'HTTPRoute',
      s => {
        s.rules[0].matches[0].path.value = '/models%2fx';
      },
      "spec.rules[0].matches[0].path: must not contain '%2f'",
    ],
    [
      'Backend endpoint without an address',
      openAiObjects,
      'Backend',
      s => {
        s.endpoints = [{}];
      },
      'spec.endpoints[0]: one of fqdn, ip or unix must be specified',
    ],
    [
      'AuthorizationPolicy empty label key',
      openAiObjects,
      'AuthorizationPolicy',
      s => {
        s.selector.matchLabels = { '': 'x' };
      },
      'spec.selector.matchLabels: key must not be empty',
    ],
  ])(
    'catches %s, as the real rule does',
    async (_, objects, kind, mutate, expected) => {
      const obj = broken(objects, kind, mutate);
      const messages = messagesFor(obj);
      expect(messages).toEqual(
        expect.arrayContaining([expect.stringContaining(expected)]),
      );
      // The sandbox refuses the same object with the same message, and agrees with every
      // violation the hand-written checks report.
      const verdict = await sandboxVerdict(obj);
      expect(verdict.status).toBe(422);
      expect(verdict.messages).toEqual(
        expect.arrayContaining([expect.stringContaining(expected)]),
      );
      expect(verdict.messages).toEqual(expect.arrayContaining(messages));
    },
  );

  it('names the object a violation is in', () => {
    const obj = broken(openAiObjects, 'AIServiceBackend', s => {
      s.backendRef.kind = 'Service';
    });
    expect(validateCelRules([obj])).toEqual([
      expect.objectContaining({
        kind: 'AIServiceBackend',
        name: 'llama31-8b',
        field: 'spec.backendRef',
      }),
    ]);
  });

  it('ignores kinds it has no rules for', () => {
    expect(validateCelRules([find(openAiObjects, 'Secret')])).toEqual([]);
  });
});
