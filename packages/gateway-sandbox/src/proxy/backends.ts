import {
  isAiGatewayGenerated,
  owningAiGatewayRoute,
} from '../aigateway/upstream';
import { GatewayObjectCache } from '../objects/objectCache';
import {
  BackendRefFilters,
  backendRefFilters,
} from '../routing/backendRefFilters';
import { RouteEntry } from '../routing/types';
import { weightedPick } from './weightedPick';

/**
 * Maps an upstream (hostname, port) to a base URL the double can reach; it
 * stands for DNS and the network. Undefined = the name does not resolve (or
 * has no endpoint): Envoy's cluster has no host there.
 */
export type ResolveBackend = (
  hostname: string,
  port: number,
) => string | undefined;

type AddressType = 'FQDN' | 'IP' | 'MIXED';

/**
 * One backendRef of the selected rule as Envoy Gateway v1.9.0 holds it
 * (internal/ir/xds.go `DestinationSetting`, built by
 * internal/gatewayapi/route.go `processBackendRef`).
 */
export interface BackendSetting {
  /** Index in the rule's backendRefs (AI Gateway: the AIGatewayRoute rule's too). */
  index: number;
  ref: any;
  /** `weight`, 1 when unset (the CRD default). */
  weight: number;
  /**
   * Locality priority: 1 for an EG Backend with `fallback: true` (route.go
   * `processBackendDestinationSetting`), else 0; on AI Gateway routes the
   * AIGatewayRoute backendRef's `priority` when set (ai-gateway v1.1.0
   * internal/extensionserver/post_translate_modify.go `maybeModifyCluster`).
   */
  priority: number;
  /** The backendRef has `filters`: EG gives every backend its own cluster. */
  hasFilters: boolean;
  state:
    | {
        type: 'valid';
        /** The endpoint Envoy connects to (first endpoint of a Backend). */
        hostname: string;
        port: number;
        addressType: AddressType;
        filters?: BackendRefFilters;
      }
    /** Envoy Gateway refused the backendRef (its weight answers 500). */
    | { type: 'invalid'; reason: string }
    /** Valid upstream, not reproduced by this double: 500 saying so. */
    | { type: 'notSupported'; what: string };
}

export type ValidSetting = BackendSetting & {
  state: { type: 'valid' };
};

/** The rule's backendRefs as destination settings. */
export function backendSettings(
  entry: RouteEntry,
  cache: GatewayObjectCache,
): BackendSetting[] {
  const routeNamespace = entry.route.metadata.namespace ?? '';
  const aiRefs = isAiGatewayGenerated(entry.route)
    ? owningAiGatewayRoute(entry, cache)?.spec?.rules?.[entry.ruleIndex]
        ?.backendRefs
    : undefined;
  return (entry.rule.backendRefs ?? []).map((ref: any, index: number) => {
    const setting = destinationSetting(ref, index, routeNamespace, cache);
    const aiPriority = aiRefs?.[index]?.priority;
    if (typeof aiPriority === 'number') setting.priority = aiPriority;
    return setting;
  });
}

function destinationSetting(
  ref: any,
  index: number,
  routeNamespace: string,
  cache: GatewayObjectCache,
): BackendSetting {
  const base = {
    index,
    ref,
    weight: typeof ref.weight === 'number' ? ref.weight : 1,
    priority: 0,
    hasFilters: Array.isArray(ref.filters) && ref.filters.length > 0,
  };
  const namespace = ref.namespace ?? routeNamespace;
  let hostname: string;
  let port: number;
  let addressType: AddressType;
  if (ref.group === 'gateway.envoyproxy.io' && ref.kind === 'Backend') {
    const backend = cache.get('Backend', namespace, ref.name);
    if (!backend)
      return {
        ...base,
        state: {
          type: 'invalid',
          reason: `backend ${namespace}/${ref.name} not found`,
        },
      };
    const endpoints: any[] = backend.spec?.endpoints ?? [];
    const endpoint = endpoints[0];
    if (backend.spec?.fallback === true) base.priority = 1;
    if (!endpoint?.fqdn && !endpoint?.ip) {
      return {
        ...base,
        state: {
          type: 'notSupported',
          what: `Backend ${ref.name} without an fqdn or ip first endpoint`,
        },
      };
    }
    hostname = endpoint.fqdn?.hostname ?? endpoint.ip?.address;
    port = endpoint.fqdn?.port ?? endpoint.ip?.port;
    const types = new Set(endpoints.map(e => (e.fqdn ? 'FQDN' : 'IP')));
    addressType = types.size > 1 ? 'MIXED' : [...types][0];
  } else if (
    (ref.group ?? '') === '' &&
    (ref.kind ?? 'Service') === 'Service'
  ) {
    if (ref.port === undefined)
      return {
        ...base,
        state: {
          type: 'invalid',
          reason:
            'a valid port number corresponding to a port on the Service must be specified',
        },
      };
    // Under the platform's `routingType: Service` Envoy Gateway sends to the
    // cluster IP (route.go `processServiceDestinationSetting`); the double
    // does not check that the Service exists.
    hostname = `${ref.name}.${namespace}.svc.cluster.local`;
    port = ref.port;
    addressType = 'IP';
  } else {
    return {
      ...base,
      state: {
        type: 'notSupported',
        what: `backendRef kind ${ref.kind}`,
      },
    };
  }
  if (!base.hasFilters)
    return { ...base, state: { type: 'valid', hostname, port, addressType } };
  const filters = backendRefFilters(ref, routeNamespace, cache);
  if (filters.type === 'invalid')
    return { ...base, state: { type: 'invalid', reason: filters.reason } };
  if (filters.type === 'notSupported')
    return { ...base, state: { type: 'notSupported', what: filters.what } };
  return {
    ...base,
    state: {
      type: 'valid',
      hostname,
      port,
      addressType,
      filters: filters.type === 'filters' ? filters.filters : undefined,
    },
  };
}

export type BackendChoice =
  | { type: 'backend'; setting: ValidSetting }
  | { type: 'notSupported'; what: string }
  /**
   * No backendRef with weight and a valid destination: EG's 500 direct
   * response for the rule (route.go `processHTTPRouteRules`).
   */
  | { type: 'noValidBackend' }
  /** The share of invalid backendRefs: `invalid-backend-cluster`, 500. */
  | { type: 'invalidBackend' }
  /** The chosen cluster has no host: 503 `no healthy upstream`. */
  | { type: 'noHealthyUpstream' };

/**
 * Envoy's choice of a backend for one request, as Envoy Gateway v1.9.0
 * configures it:
 *
 * - route.go `processHTTPRouteRules`: a backendRef of weight 0 is left out;
 *   when no valid weight remains (all weights 0, or every weighted
 *   backendRef invalid) the rule answers 500;
 * - internal/ir/xds.go `NeedsClusterPerSetting` (invalid weights, filters on
 *   a backendRef, FQDN mixed with IP endpoints) and
 *   internal/xds/translator/route.go `buildXdsWeightedRouteAction`: weighted
 *   clusters, one per backend plus `invalid-backend-cluster` with the
 *   invalid weights, which does not exist (`cluster_not_found_response_code`
 *   500, empty body); a picked cluster without a host answers 503;
 * - otherwise one cluster with a locality per backend (cluster.go
 *   `buildWeightedLocalities`: locality weight = backendRef weight, locality
 *   priority, `locality_weighted_lb_config`): Envoy sends to the highest
 *   priority (lowest number) that has hosts, then by locality weight among
 *   the localities with hosts (a Backend whose name does not resolve has
 *   none), 503 `no healthy upstream` when none has.
 *
 * `hasHosts` says whether Envoy's cluster would hold a host for a valid
 * setting (DNS, see pipeline.ts). The double treats every host as healthy.
 */
export function chooseBackend(
  settings: BackendSetting[],
  hasHosts: (setting: ValidSetting) => boolean,
  random: () => number = Math.random,
): BackendChoice {
  const weighted = settings.filter(s => s.weight > 0);
  const valid = weighted.filter(s => s.state.type !== 'invalid');
  if (valid.length === 0) return { type: 'noValidBackend' };
  const addressTypes = new Set(
    valid.flatMap(s => (s.state.type === 'valid' ? [s.state.addressType] : [])),
  );
  const clusterPerSetting =
    valid.length < weighted.length ||
    weighted.some(s => s.hasFilters) ||
    addressTypes.has('MIXED') ||
    (addressTypes.has('FQDN') && addressTypes.size > 1);
  if (clusterPerSetting) {
    const picked = weightedPick(weighted, s => s.weight, random)!;
    return outcome(picked, hasHosts);
  }
  const live = valid.filter(
    s => s.state.type !== 'valid' || hasHosts(s as ValidSetting),
  );
  if (live.length === 0) return { type: 'noHealthyUpstream' };
  const top = Math.min(...live.map(s => s.priority));
  const picked = weightedPick(
    live.filter(s => s.priority === top),
    s => s.weight,
    random,
  )!;
  return outcome(picked, hasHosts);
}

function outcome(
  picked: BackendSetting,
  hasHosts: (setting: ValidSetting) => boolean,
): BackendChoice {
  if (picked.state.type === 'invalid') return { type: 'invalidBackend' };
  if (picked.state.type === 'notSupported')
    return { type: 'notSupported', what: picked.state.what };
  const setting = picked as ValidSetting;
  return hasHosts(setting)
    ? { type: 'backend', setting }
    : { type: 'noHealthyUpstream' };
}
