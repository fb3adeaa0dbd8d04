import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parse } from 'yaml';
import { listYamlFiles } from '../loadManifestFiles';
import {
  Action,
  BEFORE_ISSUE_16,
  chartName,
  CURRENT,
  objectsIn,
  planActions,
  resolveIn,
  Tree,
} from './bootstrapPlan';
import { loadPinnedChart, mergeValues } from './pinnedCharts';
import { KubeObject, tenantNamespaceNames } from './readManifests';

/**
 * Who may call the models. Every ServiceAccount principal of an Istio AuthorizationPolicy under
 * configs/ must name an account that a chart or manifest the bootstrap installs creates (the table
 * below, each row citing the upstream file); the tenants admit exactly the callers of predictor pods
 * (the gateway's proxies, and for Knative models the activator and the autoscaler's metrics
 * scrape), and nothing that relays requests from any pod in the mesh without the gateway's checks.
 */

const TRUST_DOMAIN = 'cluster.local'; // istio/istio 1.30.3 pkg/config/mesh/mesh.go:80, constants.go:60

/**
 * The ServiceAccount of a Gateway's Envoy proxies: envoy-<namespace>-<name>-<sha256 of
 * "<namespace>/<name>", 8 hex digits>, the name cut to 48 characters. envoyproxy/gateway v1.9.0:
 * internal/gatewayapi/translator.go:643 (the infra name is the IR key "<namespace>/<name>"),
 * internal/infrastructure/kubernetes/proxy/resource_provider.go serviceAccountName() and Name()
 * (when the EnvoyProxy names no envoyServiceAccount), resource.go ExpectedResourceHashedName,
 * internal/utils/misc.go GetHashedName; the proxies run in Envoy Gateway's own namespace.
 */
function envoyProxyAccount(namespace: string, gateway: string): string {
  const key = `${namespace}/${gateway}`;
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 8);
  let name = key.replaceAll('/', '-');
  if (name.length > 48) name = name.slice(0, 48).replace(/-$/, '');
  return `envoy-${name}-${hash}`;
}

interface Account {
  namespace: string;
  name: string;
  what: string;
  cite: string;
  /** Whether the plan installs what creates the account. */
  installed: (actions: Action[]) => boolean;
  /** Its pods relay requests from any in-mesh caller, without an API key. */
  sharedRelay?: string;
}

const appliesUrl = (pattern: RegExp) => (actions: Action[]) =>
  actions.some(a => a.type === 'apply' && pattern.test(a.target));
const SERVING_CORE =
  /\/knative\/serving\/releases\/download\/knative-v[^/]+\/serving-core\.yaml$/;

const ACCOUNTS: Account[] = [
  {
    namespace: 'envoy-gateway-system',
    name: envoyProxyAccount('envoy-gateway-system', 'ai-inference-gateway'),
    what: 'the Envoy proxies of Gateway ai-inference-gateway (configs/envoy-gateway/gateway.yaml)',
    cite: 'envoyproxy/gateway v1.9.0 internal/infrastructure/kubernetes/proxy/resource_provider.go serviceAccountName(), resource.go ExpectedResourceHashedName',
    installed: actions =>
      actions.some(
        a =>
          a.type === 'helm' &&
          chartName(a.chart) === 'gateway-helm' &&
          a.namespace === 'envoy-gateway-system',
      ) &&
      actions.some(
        a =>
          a.type === 'apply' &&
          a.target === 'configs/envoy-gateway/gateway.yaml',
      ),
  },
  {
    namespace: 'knative-serving',
    name: 'activator',
    what: "Knative's activator",
    cite: 'knative/serving knative-v1.23.0 config/core/200-serviceaccount.yaml (ServiceAccount activator), config/core/deployments/activator.yaml (serviceAccountName: activator)',
    installed: appliesUrl(SERVING_CORE),
  },
  {
    namespace: 'knative-serving',
    name: 'controller',
    what: "Knative's controller, autoscaler and webhook",
    cite: 'knative/serving knative-v1.23.0 config/core/200-serviceaccount.yaml (ServiceAccount controller), config/core/deployments/autoscaler.yaml (serviceAccountName: controller)',
    installed: appliesUrl(SERVING_CORE),
  },
  {
    namespace: 'istio-system',
    name: 'istio-ingressgateway',
    what: 'the istio/gateway release istio-ingressgateway, whose pods are also knative-local-gateway',
    cite: 'istio/istio 1.30.3 manifests/charts/gateway/templates/serviceaccount.yaml (name: the release name); knative-extensions/net-istio config/203-local-gateway.yaml (Gateway knative-local-gateway on the istio: ingressgateway pods, hosts "*", plain HTTP)',
    installed: actions =>
      actions.some(
        a =>
          a.type === 'helm' &&
          a.chart === 'istio/gateway' &&
          a.release === 'istio-ingressgateway',
      ),
    sharedRelay:
      "any pod can send it a request with a model's Host, and it forwards it to the model with its own identity",
  },
];

/** The identities that call predictor pods, and on which port. */
const CALLERS = [
  {
    principal: `${TRUST_DOMAIN}/ns/envoy-gateway-system/sa/${envoyProxyAccount(
      'envoy-gateway-system',
      'ai-inference-gateway',
    )}`,
    port: '8080',
    why: 'the gateway proxies call Standard-mode predictors, and Knative ones above zero replicas, directly',
  },
  {
    principal: `${TRUST_DOMAIN}/ns/knative-serving/sa/activator`,
    port: '8012', // the queue-proxy's port, knative/serving pkg/networking/constants.go:24 BackendHTTPPort
    why: 'the activator forwards requests to Knative models at zero replicas or over their burst capacity',
  },
  {
    principal: `${TRUST_DOMAIN}/ns/knative-serving/sa/controller`,
    port: '9090', // pkg/networking/constants.go:38 AutoscalingQueueMetricsPort
    why: "the autoscaler scrapes the queue-proxy's autoscaling metrics",
  },
];

// --- a small evaluator of the AuthorizationPolicy fields configs/ uses ------------------------------

const matchesPattern = (value: string, pattern: string) =>
  pattern === '*' ||
  (pattern.endsWith('*') && value.startsWith(pattern.slice(0, -1))) ||
  (pattern.startsWith('*') && value.endsWith(pattern.slice(1))) ||
  value === pattern;

interface Request {
  principal: string;
  port: string;
}

function ruleMatches(rule: KubeObject, request: Request): boolean {
  const fromOk =
    !rule.from ||
    rule.from.some(({ source }: KubeObject) => {
      if (
        source.principals &&
        !source.principals.some((p: string) =>
          matchesPattern(request.principal, p),
        )
      )
        return false;
      if (
        source.notPrincipals?.some((p: string) =>
          matchesPattern(request.principal, p),
        )
      )
        return false;
      return true;
    });
  const toOk =
    !rule.to ||
    rule.to.some(
      ({ operation }: KubeObject) =>
        !operation.ports || operation.ports.includes(request.port),
    );
  return fromOk && toOk;
}

/** Istio's decision for a request to a workload with these policies (DENY first, then ALLOW). */
function decide(policies: KubeObject[], request: Request): 'allow' | 'deny' {
  const deny = policies.filter(p => p.spec.action === 'DENY');
  if (
    deny.some(p =>
      (p.spec.rules ?? []).some((r: KubeObject) => ruleMatches(r, request)),
    )
  )
    return 'deny';
  const allow = policies.filter(p => (p.spec.action ?? 'ALLOW') === 'ALLOW');
  if (allow.length === 0) return 'allow';
  return allow.some(p =>
    (p.spec.rules ?? []).some((r: KubeObject) => ruleMatches(r, request)),
  )
    ? 'allow'
    : 'deny';
}

// --- reading a tree ----------------------------------------------------------------------------

/** Every file of configs/ in a tree (values files excluded). */
function configFiles(tree: Tree): string[] {
  const files = new Set<string>();
  const overridden = (relative: string) =>
    tree.overrides.some(d => relative.startsWith(`${d}/`));
  for (const file of listYamlFiles(resolveIn(CURRENT, 'configs')))
    if (!overridden(`configs/${file}`)) files.add(`configs/${file}`);
  for (const dir of tree.overrides.filter(d => d.startsWith('configs/')))
    for (const file of listYamlFiles(resolveIn(tree, dir)))
      files.add(`${dir}/${file}`);
  return [...files].filter(f => !/\.values\.ya?ml$/.test(f)).sort();
}

function authorizationPolicies(
  tree: Tree,
): Array<{ file: string; policy: KubeObject }> {
  return configFiles(tree).flatMap(file =>
    objectsIn(tree, file)
      .filter(
        o =>
          o.kind === 'AuthorizationPolicy' &&
          o.apiVersion.startsWith('security.istio.io/'),
      )
      .map(policy => ({ file, policy })),
  );
}

function principalsOf(policy: KubeObject): string[] {
  return (policy.spec.rules ?? []).flatMap((rule: KubeObject) =>
    (rule.from ?? []).flatMap(({ source }: KubeObject) => [
      ...(source.principals ?? []),
      ...(source.notPrincipals ?? []),
    ]),
  );
}

const tenantNamespaces = (tree: Tree) =>
  tenantNamespaceNames(objectsIn(tree, 'configs/tenants'));

// --- the checks for findings 4 and 5 -----------------------------------------------------------

/** Finding 4: every caller of predictor pods is admitted in every tenant namespace. */
function missingCallers(tree: Tree): string[] {
  const policies = authorizationPolicies(tree).map(p => p.policy);
  return tenantNamespaces(tree).flatMap(namespace => {
    const here = policies.filter(
      p => p.metadata.namespace === namespace && !p.spec.selector,
    );
    return CALLERS.filter(c => decide(here, c) !== 'allow').map(
      c =>
        `${namespace}: ${c.principal} is refused on port ${c.port}, but ${c.why}`,
    );
  });
}

/** Finding 5: the ways around the gateway that KServe, Knative and Istio open. */
function bypasses(tree: Tree): string[] {
  const problems: string[] = [];
  const policies = authorizationPolicies(tree).map(p => p.policy);
  // (a) no shared relay is admitted in a tenant namespace
  for (const namespace of tenantNamespaces(tree))
    for (const account of ACCOUNTS.filter(a => a.sharedRelay)) {
      const principal = `${TRUST_DOMAIN}/ns/${account.namespace}/sa/${account.name}`;
      const here = policies.filter(p => p.metadata.namespace === namespace);
      if (decide(here, { principal, port: '8012' }) === 'allow')
        problems.push(
          `${namespace} admits ${principal}, ${account.what}: ${account.sharedRelay}`,
        );
    }
  // (b) KServe creates no VirtualService (and ExternalName Service) per Knative model
  const chart = loadPinnedChart('kserve-resources');
  const values = mergeValues(
    chart.values,
    parse(
      fs.readFileSync(
        resolveIn(tree, 'configs/kserve/kserve.values.yaml'),
        'utf8',
      ),
    ),
  ) as any;
  if (values.kserve.controller.gateway.disableIstioVirtualHost !== true)
    problems.push(
      'configs/kserve/kserve.values.yaml: disableIstioVirtualHost is not true, so KServe creates an Istio VirtualService per Knative model bound to the mesh and knative-local-gateway (kserve v0.20.0 pkg/controller/v1beta1/inferenceservice/reconcilers/ingress/ingress_reconciler.go reconcileVirtualService), whatever disableIngressCreation says',
    );
  // (c) no Knative gateway in front of the models: net-istio in mesh-only mode
  const istio = objectsIn(tree, 'configs/kserve/knative-config.yaml').find(
    o => o.kind === 'ConfigMap' && o.metadata.name === 'config-istio',
  );
  if (
    istio?.data?.['external-gateways'] !== '[]' ||
    istio?.data?.['local-gateways'] !== '[]'
  )
    problems.push(
      'configs/kserve/knative-config.yaml: net-istio is not in mesh-only mode (config-istio external-gateways and local-gateways "[]", knative-extensions/net-istio config/400-config-istio.yaml), so Knative routes models through knative-local-gateway, which any pod can call',
    );
  // (d) the activator (admitted by the tenants) takes requests from the gateway's proxies only
  const activatorPolicies = policies.filter(
    p =>
      p.metadata.namespace === 'knative-serving' &&
      (!p.spec.selector || p.spec.selector.matchLabels?.app === 'activator'), // activator.yaml pod label app: activator
  );
  const anyPod = {
    principal: `${TRUST_DOMAIN}/ns/tenant-b/sa/default`,
    port: '8012',
  };
  const gateway = { principal: CALLERS[0].principal, port: '8012' };
  if (
    decide(activatorPolicies, anyPod) !== 'deny' ||
    decide(activatorPolicies, gateway) !== 'allow'
  )
    problems.push(
      'the activator takes requests from any pod (no AuthorizationPolicy on app: activator in knative-serving limits it to the gateway), and forwards them to tenant models with an identity the tenants admit',
    );
  return problems;
}

describe('AuthorizationPolicies under configs/', () => {
  const policies = authorizationPolicies(CURRENT);
  const actions = planActions(CURRENT);

  it('has the tenant policies and the activator policy to check', () => {
    expect(
      policies
        .map(p => `${p.policy.metadata.namespace}/${p.policy.metadata.name}`)
        .sort(),
    ).toEqual([
      'knative-serving/activator-from-gateway-only',
      'tenant-a/allow-platform-ingress',
      'tenant-b/allow-platform-ingress',
      'tenant-c/allow-platform-ingress',
    ]);
  });

  it('name, in every principal, a ServiceAccount that an installed chart or manifest creates', () => {
    const istiod = parse(
      fs.readFileSync(
        resolveIn(CURRENT, 'configs/istio/istiod.values.yaml'),
        'utf8',
      ),
    );
    expect(istiod.meshConfig?.trustDomain ?? TRUST_DOMAIN).toBe(TRUST_DOMAIN);
    const problems: string[] = [];
    for (const { file, policy } of policies) {
      for (const principal of principalsOf(policy)) {
        const match = /^([^/]+)\/ns\/([^/]+)\/sa\/(.+)$/.exec(principal);
        const account = match
          ? ACCOUNTS.find(
              a => a.namespace === match[2] && matchesPattern(a.name, match[3]),
            )
          : undefined;
        if (!match || match[1] !== TRUST_DOMAIN)
          problems.push(
            `${file}: ${principal} is not ${TRUST_DOMAIN}/ns/<namespace>/sa/<name>`,
          );
        else if (!account)
          problems.push(
            `${file}: ${principal} matches no account of the table`,
          );
        else if (!account.installed(actions))
          problems.push(
            `${file}: ${principal} (${account.what}) is not installed by scripts/bootstrap.sh`,
          );
      }
    }
    expect(problems).toEqual([]);
  });

  it("match the gateway proxies' account exactly as Envoy Gateway names it", () => {
    const proxy = objectsIn(
      CURRENT,
      'configs/envoy-gateway/envoyproxy.yaml',
    ).find(o => o.kind === 'EnvoyProxy');
    // a name set here would replace the hashed one
    expect(proxy?.spec.provider.kubernetes.envoyServiceAccount).toBeUndefined();
    const gateway = objectsIn(
      CURRENT,
      'configs/envoy-gateway/gateway.yaml',
    ).find(o => o.kind === 'Gateway');
    expect(
      envoyProxyAccount(gateway?.metadata.namespace, gateway?.metadata.name),
    ).toMatch(/^envoy-envoy-gateway-system-ai-inference-gateway-[0-9a-f]{8}$/);
  });

  it('admit every caller of predictor pods in every tenant namespace (finding 4)', () => {
    expect(missingCallers(CURRENT)).toEqual([]);
  });

  it('admit nothing but those callers in tenant namespaces', () => {
    for (const { policy } of policies.filter(p =>
      p.policy.metadata.namespace.startsWith('tenant-'),
    ))
      for (const principal of principalsOf(policy))
        expect(CALLERS.some(c => matchesPattern(c.principal, principal))).toBe(
          true,
        );
  });

  it('leave no way around the gateway: no shared relay admitted, no KServe VirtualService, no Knative gateway, the activator only for the gateway (finding 5)', () => {
    expect(bypasses(CURRENT)).toEqual([]);
  });
});

describe('findings 4 and 5 of issue 16, before it: the tenant policies and KServe/Knative settings as they were', () => {
  it("refused the Knative activator's identity (finding 4)", () => {
    expect(missingCallers(BEFORE_ISSUE_16)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^tenant-a: cluster\.local\/ns\/knative-serving\/sa\/activator is refused/,
        ),
      ]),
    );
  });

  it('admitted the mesh-local Knative gateway, let KServe create VirtualServices and left the activator open (finding 5)', () => {
    const problems = bypasses(BEFORE_ISSUE_16);
    expect(problems).toEqual([
      expect.stringMatching(
        /^tenant-a admits cluster\.local\/ns\/istio-system\/sa\/istio-ingressgateway/,
      ),
      expect.stringMatching(/^tenant-b admits/),
      expect.stringMatching(/^tenant-c admits/),
      expect.stringMatching(/disableIstioVirtualHost is not true/),
      expect.stringMatching(/not in mesh-only mode/),
      expect.stringMatching(/^the activator takes requests from any pod/),
    ]);
  });

  it('named principals the old install created, which the principal check accepts for it', () => {
    const actions = planActions(BEFORE_ISSUE_16);
    const old = authorizationPolicies(BEFORE_ISSUE_16).flatMap(({ policy }) =>
      principalsOf(policy),
    );
    expect(old).toContain(
      'cluster.local/ns/istio-system/sa/istio-ingressgateway',
    );
    expect(
      ACCOUNTS.find(a => a.name === 'istio-ingressgateway')?.installed(actions),
    ).toBe(true);
    expect(
      ACCOUNTS.find(a => a.name === 'istio-ingressgateway')?.installed(
        planActions(CURRENT),
      ),
    ).toBe(false);
  });
});
