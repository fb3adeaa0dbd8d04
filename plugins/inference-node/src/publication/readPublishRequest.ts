import type {
  ModelType,
  PublishLimits,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { KubeObject } from '../cluster/types';
import { MODEL_HEADER } from './endpoint';

/**
 * A publish request as the cluster enforces it, defaults resolved.
 * @public
 */
export interface RecordedPublishRequest {
  publicModelName: string;
  hostname: string;
  auth: { apiKey: true; jwt: boolean };
  limits: PublishLimits;
  modelType: ModelType;
}

type Json = Record<string, any>;

const ofKind = (objects: KubeObject[], group: string, kind: string) =>
  objects.find(o => o.kind === kind && o.apiVersion.startsWith(`${group}/`));

function limitsOf(trafficPolicy: KubeObject | undefined): PublishLimits {
  const limits: PublishLimits = {};
  const rules: Json[] =
    (trafficPolicy?.spec as Json)?.rateLimit?.global?.rules ?? [];
  for (const rule of rules) {
    const { requests, unit } = rule.limit ?? {};
    if (rule.cost?.response?.metadata?.key === 'llm_total_token') {
      limits.tokensPerHour = requests;
    } else if (unit === 'Minute') {
      limits.requestsPerMinute = requests;
    } else if (unit === 'Hour') {
      limits.requestsPerHour = requests;
    }
  }
  return limits;
}

/**
 * Reads back the request a publication enforces from its objects (as listed by label): public
 * name and hostname from the route, JWT from the SecurityPolicy, limits from the
 * BackendTrafficPolicy's rules. The objects are the record, so what the portal shows cannot drift
 * from what the gateway does. Undefined when there is no route (not published). With the route
 * alone (e.g. a name clash check across tenants), auth and limits read as JWT off and no limits.
 * @public
 */
export function readPublishRequest(
  objects: KubeObject[],
): RecordedPublishRequest | undefined {
  // Prefer the AIGatewayRoute: the HTTPRoute its controller generates has the same name.
  const aiRoute = ofKind(objects, 'aigateway.envoyproxy.io', 'AIGatewayRoute');
  const httpRoute = ofKind(objects, 'gateway.networking.k8s.io', 'HTTPRoute');
  const route = aiRoute ?? httpRoute;
  if (!route) {
    return undefined;
  }
  const spec = route.spec as Json;
  const rule: Json = spec?.rules?.[0] ?? {};
  const publicModelName: string | undefined = aiRoute
    ? rule.matches?.[0]?.headers?.find((h: Json) => h.name === MODEL_HEADER)
        ?.value
    : String(rule.matches?.[0]?.path?.value ?? '')
        .split('/')
        .pop();
  const hostname: string | undefined = spec?.hostnames?.[0];
  if (!publicModelName || !hostname) {
    return undefined;
  }
  const securityPolicy = ofKind(
    objects,
    'gateway.envoyproxy.io',
    'SecurityPolicy',
  );
  return {
    publicModelName,
    hostname,
    auth: { apiKey: true, jwt: Boolean((securityPolicy?.spec as Json)?.jwt) },
    limits: limitsOf(
      ofKind(objects, 'gateway.envoyproxy.io', 'BackendTrafficPolicy'),
    ),
    modelType: aiRoute ? 'openai' : 'predictive',
  };
}
