import { fitDnsLabel } from '@inference-in-a-box/backstage-plugin-inference-common';
import type { ModelType } from '@inference-in-a-box/backstage-plugin-inference-common';
import type { PublicationPlatform } from './types';

/**
 * The hostname a publication is served on when its request names none.
 *
 * An OpenAI-compatible publication gets a hostname of its own, `<model>-<tenant>.<domain>`: Envoy
 * Gateway checks API keys (api_key_auth, filter order 7) and JWTs (10) with the route it matched
 * before the body is read, and only then does the AI Gateway's ext_proc (100+) copy the body's
 * `model` into `x-ai-eg-model` and have the route chosen again (envoyproxy/gateway v1.9.0
 * internal/xds/translator/httpfilters.go; envoyproxy/ai-gateway issue 1474). Routes of several
 * publications on one hostname would therefore check keys against whichever route matched first.
 * On a hostname of its own, every route Envoy can match before and after the body is read is the
 * publication's own. `checkHostnameFree` refuses a second OpenAI-compatible publication on a
 * hostname, chosen or derived. See docs/architecture.md, "The request path through the gateway".
 *
 * A predictive publication is matched by its path (`/models/<tenant>/<model>`) before anything
 * else, so predictive publications share the platform's default hostname.
 */
export function defaultPublicationHostname(
  platform: Pick<PublicationPlatform, 'defaultHostname' | 'openAiDomain'>,
  modelType: ModelType,
  tenant: string,
  model: string,
): string {
  if (modelType !== 'openai') return platform.defaultHostname;
  const label = fitDnsLabel(`${model}-${tenant}`, 63, `${tenant}/${model}`);
  return `${label}.${platform.openAiDomain}`;
}
