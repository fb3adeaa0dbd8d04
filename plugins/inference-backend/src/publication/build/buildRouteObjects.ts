import { KubeObject, KubeObjectMeta } from '../../models/types';
import { PublicationObjectNames } from './objectNames';
import {
  MODEL_HEADER,
  predictivePathPrefix,
  KINDS,
} from '@inference-in-a-box/backstage-plugin-inference-node';

/**
 * The objects that route traffic from the platform Gateway to a model's predictor.
 *
 * Both route kinds attach to the shared Gateway in its own namespace through a cross-namespace
 * parentRef. Gateway API allows that when the Gateway's listener `allowedRoutes` selects the
 * tenant namespace (configs/ sets that up), without a ReferenceGrant; the Gateway itself is never
 * modified. Envoy AI Gateway copies the parentRefs to the HTTPRoute it generates and handles
 * Gateways in another namespace since envoyproxy/ai-gateway#1184 (v0.4).
 */

export interface RouteObjectsInput {
  names: PublicationObjectNames;
  meta: (name: string, annotations?: Record<string, string>) => KubeObjectMeta;
  namespace: string;
  tenant: string;
  isvcName: string;
  hostname: string;
  gateway: { name: string; namespace: string; sectionName?: string };
  /**
   * A blue-green candidate (a second InferenceService) and its share of the traffic, 0-100: the
   * route's rule sends `percent` of the requests to it by weight and the rest to the model.
   */
  candidate?: {
    isvcName: string;
    names: PublicationObjectNames;
    percent: number;
  };
}

export interface OpenAiRouteInput extends RouteObjectsInput {
  publicModelName: string;
  /** Path prefix of the OpenAI API on the predictor (`/openai/v1` or `/v1`). */
  pathPrefix: string;
  /** Model name the predictor expects; sent instead of the public name when they differ. */
  servedModelName: string;
}

function parentRefs(input: RouteObjectsInput) {
  return [
    {
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      name: input.gateway.name,
      namespace: input.gateway.namespace,
      ...(input.gateway.sectionName
        ? { sectionName: input.gateway.sectionName }
        : {}),
    },
  ];
}

/**
 * An Envoy Gateway Backend for the KServe predictor, by its in-cluster name, port 80 in both
 * modes. In Standard mode the name is KServe's ClusterIP Service with the predictor pods behind it.
 * In Knative mode, with net-istio in mesh-only mode as the platform installs it
 * (configs/kserve/knative-config.yaml), it is the Knative Route's ClusterIP Service without
 * selector or endpoints (knative/serving knative-v1.23.0 pkg/reconciler/route/resources/service.go
 * `MakeK8sService`), which the gateway proxy's Istio sidecar routes by Host to the revision or to
 * the activator. A Backend resolves the name to that cluster IP whatever Envoy Gateway's routing
 * type; the Service as a backendRef would, under Envoy Gateway's default endpoint routing, have no
 * endpoints to send to (envoyproxy/gateway v1.9.0 internal/gatewayapi/route.go
 * `processServiceDestinationSetting`), and with Knative's gateways it was an ExternalName Service,
 * which Envoy Gateway refuses as a backendRef ("use an Envoy Gateway Backend resource with an FQDN
 * endpoint instead"). One shape serves both modes.
 */
function predictorBackend(
  input: RouteObjectsInput,
  target: { isvcName: string; names: PublicationObjectNames } = input,
): {
  object: KubeObject;
  host: string;
} {
  const host = `${target.isvcName}-predictor.${input.namespace}.svc.cluster.local`;
  return {
    host,
    object: {
      ...KINDS.backend,
      metadata: input.meta(target.names.route),
      spec: { endpoints: [{ fqdn: { hostname: host, port: 80 } }] },
    },
  };
}

/**
 * The route's backends with their weights: the model's predictor, and a blue-green candidate's
 * when there is one (each Backend by its own name, as `names.route` of its InferenceService).
 */
function weightedBackends(input: RouteObjectsInput) {
  const main = { ...predictorBackend(input), names: input.names };
  if (!input.candidate) return [{ ...main, weight: undefined }];
  const { percent } = input.candidate;
  return [
    { ...main, weight: 100 - percent },
    {
      ...predictorBackend(input, input.candidate),
      names: input.candidate.names,
      weight: percent,
    },
  ];
}

const backendRefTo = (name: string) => ({
  group: 'gateway.envoyproxy.io',
  kind: 'Backend',
  name,
});

/**
 * Backend -> AIServiceBackend -> AIGatewayRoute. The route matches `x-ai-eg-model`, which the AI
 * Gateway fills from the request body's `model`, and records token usage under
 * `io.envoy.ai_gateway` for the token rate limit. The controller generates an HTTPRoute with the
 * route's name; the policies target that.
 */
export function buildOpenAiRouteObjects(input: OpenAiRouteInput): KubeObject[] {
  const { names } = input;
  const backends = weightedBackends(input);
  // Each AIServiceBackend is one backend of the rule, with its weight; the AI Gateway generates
  // an HTTPRoute rule with the same weights and rewrites the Host to the chosen Backend.
  const backendRefs = backends.map(({ names: own, weight }) => ({
    name: own.route,
    ...(input.servedModelName !== input.publicModelName
      ? { modelNameOverride: input.servedModelName }
      : {}),
    ...(weight !== undefined ? { weight } : {}),
  }));
  return [
    ...backends.flatMap(({ object, names: own }) => [
      object,
      {
        ...KINDS.aiServiceBackend,
        metadata: input.meta(own.route),
        spec: {
          schema: { name: 'OpenAI', prefix: input.pathPrefix },
          backendRef: backendRefTo(own.route),
        },
      },
    ]),
    {
      ...KINDS.aiGatewayRoute,
      metadata: input.meta(names.route),
      spec: {
        parentRefs: parentRefs(input),
        hostnames: [input.hostname],
        rules: [
          {
            matches: [
              {
                headers: [
                  {
                    type: 'Exact',
                    name: MODEL_HEADER,
                    value: input.publicModelName,
                  },
                ],
              },
            ],
            backendRefs,
          },
        ],
        llmRequestCosts: [
          { metadataKey: 'llm_input_token', type: 'InputToken' },
          { metadataKey: 'llm_output_token', type: 'OutputToken' },
          { metadataKey: 'llm_total_token', type: 'TotalToken' },
        ],
      },
    },
  ];
}

/**
 * A Backend for the predictor and an HTTPRoute from `/models/<tenant>/<model>` to it with the
 * prefix rewritten to `/`, so `/models/t/m/v1/models/m:predict` reaches `/v1/models/m:predict`
 * (and v2 `/infer` alike). Gateway API prefixes match whole path segments: `/models/t/m` does not
 * match `/models/t/mx`. The Host is rewritten to the predictor's name: in Knative mode the gateway
 * proxy's Istio sidecar picks the Knative Route's mesh VirtualService, and so the revision, by Host.
 */
export function buildPredictiveRouteObjects(
  input: RouteObjectsInput,
): KubeObject[] {
  const backends = weightedBackends(input);
  const pathRewrite = {
    type: 'URLRewrite',
    urlRewrite: {
      path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' },
    },
  };
  const hostRewrite = (host: string) => ({
    type: 'URLRewrite',
    urlRewrite: { hostname: host },
  });
  // With one backend the Host rewrite is the rule's. With a candidate each backendRef rewrites
  // the Host to its own predictor (Envoy Gateway v1.9.0 keeps a backendRef's URLRewrite hostname,
  // and only that, on its weighted cluster: internal/gatewayapi/route.go
  // `processDestinationFilters`, internal/xds/translator/route.go `applyWeightedClusterFilters`),
  // since a rule-level hostname would send every request to the model's own predictor.
  const [main] = backends;
  const single = !input.candidate;
  return [
    ...backends.map(b => b.object),
    {
      ...KINDS.httpRoute,
      metadata: input.meta(input.names.route),
      spec: {
        parentRefs: parentRefs(input),
        hostnames: [input.hostname],
        rules: [
          {
            matches: [
              {
                path: {
                  type: 'PathPrefix',
                  value: predictivePathPrefix(input.tenant, input.isvcName),
                },
              },
            ],
            filters: [
              single
                ? {
                    type: 'URLRewrite',
                    urlRewrite: {
                      hostname: main.host,
                      ...pathRewrite.urlRewrite,
                    },
                  }
                : pathRewrite,
            ],
            backendRefs: backends.map(b =>
              single
                ? backendRefTo(b.names.route)
                : {
                    ...backendRefTo(b.names.route),
                    weight: b.weight,
                    filters: [hostRewrite(b.host)],
                  },
            ),
          },
        ],
      },
    },
  ];
}
