import { KubeObject } from '../../models/types';
import {
  checkUniqueRuleNames,
  has,
  Json,
  noSuchKey,
  object,
  objects,
  Report,
} from './celRuleHelpers';
import { checkHTTPRoute } from './httpRouteCelRules';

/**
 * Hand-written versions of the CEL rules (`x-kubernetes-validations`) of the CRDs a publication
 * writes, for the rules its builders could break. Messages are the CRDs' own, as the API server
 * prints them (an absent field a rule reads gives `no such key: <field> evaluating rule: …`).
 * Rules on fields the builders never set are left out.
 *
 * Why this stays although the kube-sandbox now evaluates the real rules: it is a fast,
 * dependency-free pre-check that runs in the builders' unit tests and before anything is sent
 * to a cluster, where the real rules need a started API server (or the sandbox's CEL evaluator,
 * a dev dependency). validateCelRules.test.ts checks every rule here against the sandbox's
 * evaluation of the real CRD rule (same objects accepted and refused, same messages).
 */

export interface CelViolation {
  kind: string;
  name: string;
  /** Path of the object the rule is declared on, e.g. `spec.rules[0]`. */
  field: string;
  message: string;
}

/** Policy attachment rules shared by SecurityPolicy and BackendTrafficPolicy. */
function checkPolicyTargets(spec: Json, kinds: string[], report: Report) {
  const selectors = objects(spec.targetSelectors);
  if (
    !(
      has(spec, 'targetRef') !== has(spec, 'targetRefs') || selectors.length > 0
    )
  ) {
    report('spec', 'either targetRef or targetRefs must be used');
  }
  const refs = [
    ...(has(spec, 'targetRef') ? [object(spec.targetRef)] : []),
    ...objects(spec.targetRefs),
  ];
  if (refs.some(ref => ref.group !== 'gateway.networking.k8s.io')) {
    report(
      'spec',
      'this policy can only have a targetRefs[*].group of gateway.networking.k8s.io',
    );
  }
  if (refs.some(ref => !kinds.includes(String(ref.kind)))) {
    report(
      'spec',
      `this policy can only have a targetRefs[*].kind of ${kinds.join('/')}`,
    );
  }
}

function checkSecurityPolicy(spec: Json, report: Report) {
  checkPolicyTargets(
    spec,
    ['Gateway', 'ListenerSet', 'HTTPRoute', 'GRPCRoute', 'TCPRoute'],
    report,
  );
  objects(object(spec.apiKeyAuth).extractFrom).forEach((source, i) => {
    const count = ['headers', 'params', 'cookies'].filter(k =>
      has(source, k),
    ).length;
    if (count !== 1) {
      report(
        `spec.apiKeyAuth.extractFrom[${i}]`,
        'exactly one of headers, params, or cookies must be specified',
      );
    }
  });
  const jwt = object(spec.jwt);
  if (has(jwt, 'optional') && has(jwt, 'failOpen')) {
    report(
      'spec.jwt',
      'optional and failOpen cannot both be set; failOpen already tolerates a missing JWT',
    );
  }
  objects(jwt.providers).forEach((provider, i) => {
    const field = `spec.jwt.providers[${i}]`;
    if (!has(provider, 'remoteJWKS') && !has(provider, 'localJWKS')) {
      report(field, 'either remoteJWKS or localJWKS must be specified.');
    }
    if (has(provider, 'remoteJWKS') && has(provider, 'localJWKS')) {
      report(field, 'remoteJWKS and localJWKS cannot both be specified.');
    }
    // `size(self.claimToHeaders) > 0` reads the field: absent, the rule fails with an error.
    if (provider.recomputeRoute === true) {
      const message =
        'claimToHeaders must be specified if recomputeRoute is enabled.';
      if (!has(provider, 'claimToHeaders')) {
        report(field, noSuchKey('claimToHeaders', message));
      } else if (objects(provider.claimToHeaders).length === 0) {
        report(field, message);
      }
    }
  });
  // Authorization rules (Envoy Gateway v1.9.0 api/v1alpha1/authorization_types.go).
  objects(object(spec.authorization).rules).forEach((rule, i) => {
    const field = `spec.authorization.rules[${i}]`;
    if (!has(rule, 'principal') && !has(rule, 'cel')) {
      report(field, 'at least one of principal or cel must be specified');
    }
    if (!has(rule, 'principal')) return;
    const principal = object(rule.principal);
    if (
      !['clientCIDRs', 'jwt', 'headers', 'clientIPGeoLocations'].some(k =>
        has(principal, k),
      )
    ) {
      report(
        `${field}.principal`,
        'at least one of clientCIDRs, jwt, headers, or clientIPGeoLocations must be specified',
      );
    }
    if (
      has(principal, 'jwt') &&
      !has(object(principal.jwt), 'claims') &&
      !has(object(principal.jwt), 'scopes')
    ) {
      report(
        `${field}.principal.jwt`,
        'at least one of claims or scopes must be specified',
      );
    }
  });
}

function checkCost(cost: Json, field: string, report: Report) {
  for (const direction of ['request', 'response']) {
    const side = object(cost[direction]);
    if (has(side, 'number') && has(side, 'metadata')) {
      report(
        `${field}.cost.${direction}`,
        'only one of number or metadata can be specified',
      );
    }
  }
}

function checkBackendTrafficPolicy(spec: Json, report: Report) {
  checkPolicyTargets(
    spec,
    [
      'Gateway',
      'ListenerSet',
      'HTTPRoute',
      'GRPCRoute',
      'UDPRoute',
      'TCPRoute',
      'TLSRoute',
    ],
    report,
  );
  const rateLimit = object(spec.rateLimit);
  for (const scope of ['global', 'local'] as const) {
    objects(object(rateLimit[scope]).rules).forEach((rule, i) => {
      const field = `spec.rateLimit.${scope}.rules[${i}]`;
      objects(rule.clientSelectors).forEach((selector, j) => {
        if (
          !['headers', 'methods', 'path', 'sourceCIDR', 'queryParams'].some(k =>
            has(selector, k),
          )
        ) {
          report(
            `${field}.clientSelectors[${j}]`,
            'at least one of headers, methods, path, sourceCIDR or queryParams must be specified',
          );
        }
      });
      checkCost(object(rule.cost), field, report);
      if (scope === 'local' && has(object(rule.cost), 'response')) {
        report(
          `spec.rateLimit.local.rules`,
          'response cost is not supported for Local Rate Limits',
        );
      }
    });
  }
}

function checkAIServiceBackend(spec: Json, report: Report) {
  const ref = object(spec.backendRef);
  if (ref.kind !== 'Backend' || ref.group !== 'gateway.envoyproxy.io') {
    report(
      'spec.backendRef',
      'BackendRef must be a Backend resource of Envoy Gateway. See https://github.com/envoyproxy/ai-gateway/issues/902 for more details.',
    );
  }
}

function checkAIGatewayRoute(spec: Json, report: Report) {
  // `kind` defaults to Gateway before CEL runs.
  if (
    objects(spec.parentRefs).some(ref => (ref.kind ?? 'Gateway') !== 'Gateway')
  ) {
    report('spec.parentRefs', 'only Gateway is supported');
  }
  const rules = objects(spec.rules);
  checkUniqueRuleNames(
    rules,
    'rule name must be unique within the route',
    report,
  );
  rules.forEach((rule, i) => {
    const field = `spec.rules[${i}]`;
    if (rule.name === 'route-not-found') {
      report(field, 'rule name route-not-found is reserved');
    }
    const refs = objects(rule.backendRefs);
    const typed = refs.filter(ref => has(ref, 'group') && has(ref, 'kind'));
    const untyped = refs.filter(ref => !has(ref, 'group') && !has(ref, 'kind'));
    if (untyped.length !== refs.length && typed.length !== refs.length) {
      report(
        field,
        'cannot mix InferencePool and AIServiceBackend references in the same rule',
      );
    }
    if (typed.length > 0 && refs.length > 1) {
      report(field, 'only one InferencePool backend is allowed per rule');
    }
    refs.forEach((ref, j) => {
      if (has(ref, 'group') !== has(ref, 'kind')) {
        report(
          `${field}.backendRefs[${j}]`,
          'group and kind must be specified together',
        );
      }
      // `self.group == '…' && self.kind == 'InferencePool'`: reads kind only when the group matches.
      const message =
        'only InferencePool from inference.networking.k8s.io group is supported';
      if (has(ref, 'group') && ref.group !== 'inference.networking.k8s.io') {
        report(`${field}.backendRefs[${j}]`, message);
      } else if (has(ref, 'group') && !has(ref, 'kind')) {
        report(`${field}.backendRefs[${j}]`, noSuchKey('kind', message));
      } else if (has(ref, 'group') && ref.kind !== 'InferencePool') {
        report(`${field}.backendRefs[${j}]`, message);
      }
    });
  });
}

function checkBackend(spec: Json, report: Report) {
  const endpoints = objects(spec.endpoints);
  const withFqdn = endpoints.filter(e => has(e, 'fqdn')).length;
  if (withFqdn > 0 && withFqdn !== endpoints.length) {
    report(
      'spec.endpoints',
      'fqdn addresses cannot be mixed with other address types',
    );
  }
  endpoints.forEach((endpoint, i) => {
    const count = ['fqdn', 'ip', 'unix'].filter(k => has(endpoint, k)).length;
    if (count === 0) {
      report(
        `spec.endpoints[${i}]`,
        'one of fqdn, ip or unix must be specified',
      );
    }
    if (count > 1) {
      report(
        `spec.endpoints[${i}]`,
        'only one of fqdn, ip or unix can be specified',
      );
    }
  });
}

function checkAuthorizationPolicy(spec: Json, report: Report) {
  if (
    ['selector', 'targetRef', 'targetRefs'].filter(k => has(spec, k)).length > 1
  ) {
    report('spec', 'only one of targetRefs or selector can be set');
  }
  const keys = Object.keys(object(object(spec.selector).matchLabels));
  if (keys.some(key => key.includes('*'))) {
    report(
      'spec.selector.matchLabels',
      'wildcard not allowed in label key match',
    );
  }
  if (keys.some(key => key.length === 0)) {
    report('spec.selector.matchLabels', 'key must not be empty');
  }
}

const CHECKS: Record<string, (spec: Json, report: Report) => void> = {
  'gateway.envoyproxy.io/SecurityPolicy': checkSecurityPolicy,
  'gateway.envoyproxy.io/BackendTrafficPolicy': checkBackendTrafficPolicy,
  'gateway.envoyproxy.io/Backend': checkBackend,
  'aigateway.envoyproxy.io/AIServiceBackend': checkAIServiceBackend,
  'aigateway.envoyproxy.io/AIGatewayRoute': checkAIGatewayRoute,
  'gateway.networking.k8s.io/HTTPRoute': checkHTTPRoute,
  'security.istio.io/AuthorizationPolicy': checkAuthorizationPolicy,
};

/** Violations of the re-implemented CEL rules, for every object (empty when all pass). */
export function validateCelRules(objectsToCheck: KubeObject[]): CelViolation[] {
  const violations: CelViolation[] = [];
  for (const obj of objectsToCheck) {
    const group = obj.apiVersion.includes('/')
      ? obj.apiVersion.split('/')[0]
      : '';
    const check = CHECKS[`${group}/${obj.kind}`];
    if (check) {
      check(object(obj.spec), (field, message) =>
        violations.push({
          kind: obj.kind,
          name: obj.metadata.name,
          field,
          message,
        }),
      );
    }
  }
  return violations;
}
