import { publicationId } from '@inference-in-a-box/backstage-plugin-inference-common';

/**
 * Names of a publication's objects. All derive from the publication id (the model name when it
 * has at most 50 characters), and the longest suffix is 13 characters, so every name is a DNS
 * label of at most 63 characters, which every kind here accepts. The AI Gateway controller names
 * the HTTPRoute it generates for an AIGatewayRoute after the AIGatewayRoute (see the CRD's
 * description), so `route` is also the name the policies target for OpenAI models.
 */
export interface PublicationObjectNames {
  /** Publication id, also the value of the `inference.platform.io/publication` label. */
  id: string;
  /** Backend, AIServiceBackend, AIGatewayRoute / HTTPRoute (and the generated HTTPRoute). */
  route: string;
  apiKeysSecret: string;
  securityPolicy: string;
  trafficPolicy: string;
  authorizationPolicy: string;
}

export function publicationObjectNames(
  tenant: string,
  model: string,
): PublicationObjectNames {
  const id = publicationId(tenant, model);
  return {
    id,
    route: id,
    apiKeysSecret: `${id}-api-keys`,
    securityPolicy: `${id}-auth`,
    trafficPolicy: `${id}-rate-limits`,
    authorizationPolicy: `${id}-gateway-only`,
  };
}
