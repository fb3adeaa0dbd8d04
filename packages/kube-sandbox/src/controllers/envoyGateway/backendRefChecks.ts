import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject } from '../../store/types';
import { ControllerClient } from '../controllerClient';
import { isReferencePermitted } from '../referenceGrants';

/**
 * What Envoy Gateway checks about one backendRef of a route, re-expressed from envoyproxy/gateway
 * v1.9.0 internal/gatewayapi/validate.go (`validateBackendRef` and the checks it calls) and
 * route.go (`processDestination`, `processServiceDestinationSetting`). The checks run in
 * upstream's order and the first failure is the answer.
 */

type Json = Record<string, unknown>;

/** A route condition problem: the condition type it sets False, its reason and message. */
export interface RouteProblem {
  type: 'ResolvedRefs' | 'BackendsAvailable';
  reason: string;
  message: string;
}

const EG_GROUP = 'gateway.envoyproxy.io';
const MCS_GROUP = 'multicluster.x-k8s.io';
/** Envoy Gateway's extension manager lists InferencePool as a backend resource (configs/envoy-gateway). */
const CUSTOM_BACKENDS = [
  {
    group: 'inference.networking.k8s.io',
    kind: 'InferencePool',
    apiVersion: 'inference.networking.k8s.io/v1',
  },
];

const resolvedRefs = (reason: string, message: string): RouteProblem => ({
  type: 'ResolvedRefs',
  reason,
  message,
});

export interface BackendRefContext {
  client: ControllerClient;
  route: KubeObject;
}

function portProblem(ref: Json, service: KubeObject, namespace: string) {
  const spec = isPlainObject(service.spec) ? service.spec : {};
  const ports = Array.isArray(spec.ports)
    ? spec.ports.filter(isPlainObject)
    : [];
  const found = ports.some(
    port => port.port === ref.port && (port.protocol ?? 'TCP') === 'TCP',
  );
  if (found) return undefined;
  return resolvedRefs(
    'PortNotFound',
    `TCP Port ${ref.port} not found on Service ${namespace}/${ref.name}`,
  );
}

/** A Service has ready endpoints when a ready Pod matches its selector (what its EndpointSlices would list). */
function hasReadyEndpoints(client: ControllerClient, service: KubeObject) {
  const spec = isPlainObject(service.spec) ? service.spec : {};
  const selector = isPlainObject(spec.selector) ? spec.selector : undefined;
  if (!selector || Object.keys(selector).length === 0) return false;
  return client.list('v1', 'Pod', service.metadata.namespace).some(pod => {
    const labels = pod.metadata.labels ?? {};
    const status = isPlainObject(pod.status) ? pod.status : {};
    const conditions = Array.isArray(status.conditions)
      ? status.conditions
      : [];
    const ready = conditions.some(
      c => isPlainObject(c) && c.type === 'Ready' && c.status === 'True',
    );
    return (
      ready &&
      !pod.metadata.deletionTimestamp &&
      Object.entries(selector).every(([k, v]) => labels[k] === v)
    );
  });
}

function serviceProblem(
  { client }: BackendRefContext,
  ref: Json,
  namespace: string,
  weight: number,
): RouteProblem | undefined {
  const service = client.get('v1', 'Service', namespace, String(ref.name));
  if (!service) {
    return resolvedRefs(
      'BackendNotFound',
      `service ${namespace}/${ref.name} not found`,
    );
  }
  const spec = isPlainObject(service.spec) ? service.spec : {};
  // ExternalName Services have no ClusterIP and no EndpointSlices.
  if (spec.type === 'ExternalName') {
    return resolvedRefs(
      'UnsupportedValue',
      `Service ${namespace}/${ref.name} is of type ExternalName, which is not supported as a backend; ` +
        'use an Envoy Gateway Backend resource with an FQDN endpoint instead',
    );
  }
  const port = portProblem(ref, service, namespace);
  if (port) return port;
  // Endpoint routing is Envoy Gateway's default; a Service without ready endpoints leaves
  // ResolvedRefs alone and sets BackendsAvailable=False. Weight-0 refs are never resolved. (Under
  // an EnvoyProxy with `routingType: Service`, as configs/envoy-gateway/envoyproxy.yaml sets it,
  // Envoy Gateway routes to the cluster IP of a non-headless Service and looks for no endpoints;
  // the sandbox does not serve EnvoyProxy and always looks. A Knative model's `<isvc>-predictor`,
  // which has no selector and no Endpoints in net-istio's mesh-only mode, shows the difference.)
  if (weight !== 0 && !hasReadyEndpoints(client, service)) {
    return {
      type: 'BackendsAvailable',
      reason: 'EndpointsNotFound',
      message: `failed to find endpoints: no ready endpoints for the related Service ${namespace}/${ref.name}`,
    };
  }
  return undefined;
}

/**
 * The problem with one backendRef of a route, if any. Problems of type ResolvedRefs come back
 * without the "failed to process route rule" prefix, which the caller adds.
 */
export function backendRefProblem(
  ctx: BackendRefContext,
  ref: Json,
): RouteProblem | undefined {
  const routeNamespace = ctx.route.metadata.namespace!;
  const group = typeof ref.group === 'string' ? ref.group : '';
  const kind = typeof ref.kind === 'string' ? ref.kind : 'Service';
  const namespace =
    typeof ref.namespace === 'string' && ref.namespace
      ? ref.namespace
      : routeNamespace;
  const weight = typeof ref.weight === 'number' ? ref.weight : 1;
  const custom = CUSTOM_BACKENDS.find(
    c => c.group === group && c.kind === kind,
  );
  const referenceAllowed = isReferencePermitted(
    ctx.client,
    {
      group: 'gateway.networking.k8s.io',
      kind: ctx.route.kind,
      namespace: routeNamespace,
    },
    { group, kind, namespace, name: String(ref.name) },
  );
  const notPermitted = resolvedRefs(
    'RefNotPermitted',
    `Backend ref to ${kind} ${namespace}/${ref.name} not permitted by any ReferenceGrant.`,
  );
  if (custom) {
    if (!referenceAllowed) return notPermitted;
    if (
      ctx.client.get(
        custom.apiVersion,
        custom.kind,
        namespace,
        String(ref.name),
      )
    ) {
      return undefined;
    }
    return resolvedRefs(
      'BackendNotFound',
      `custom backend ${kind} ${namespace}/${ref.name} not found`,
    );
  }
  if (group !== '' && group !== MCS_GROUP && group !== EG_GROUP) {
    return resolvedRefs(
      'InvalidKind',
      `Group is invalid, only the core API group (specified by omitting the group field or setting it to an empty string), ${MCS_GROUP} and ${EG_GROUP} are supported`,
    );
  }
  if (!['Service', 'ServiceImport', 'Backend'].includes(kind)) {
    return resolvedRefs(
      'InvalidKind',
      'Kind is invalid, only Service, MCS ServiceImport and Envoy Gateway Backend are supported',
    );
  }
  if (!referenceAllowed) return notPermitted;
  if (kind !== 'Backend' && ref.port === undefined) {
    return resolvedRefs(
      'PortNotSpecified',
      'A valid port number corresponding to a port on the Service must be specified',
    );
  }
  if (kind === 'Service') return serviceProblem(ctx, ref, namespace, weight);
  if (kind === 'ServiceImport') {
    // The sandbox serves no MCS ServiceImports, so none is ever found.
    return resolvedRefs(
      'BackendNotFound',
      `service import ${namespace}/${ref.name} not found`,
    );
  }
  const backend = ctx.client.get(
    `${EG_GROUP}/v1alpha1`,
    'Backend',
    namespace,
    String(ref.name),
  );
  if (!backend) {
    return resolvedRefs(
      'BackendNotFound',
      `Backend ${namespace}/${ref.name} not found`,
    );
  }
  return undefined;
}
