import {
  PublicationSummary,
  publicationId,
  Tenant,
} from '@internal/backstage-plugin-inference-common';
import {
  KubeObject,
  publicationEndpoint,
  readPublishRequest,
  RecordedPublishRequest,
} from '@internal/backstage-plugin-inference-node';
import {
  ApiKeyMaterial,
  describeKey,
  keysFromSecret,
  liveKeys,
} from '../apiKeys/apiKeys';

/**
 * A publication as read back from the cluster: its objects, the request they enforce and its live
 * keys. The cluster is the record; there is no second copy to drift from it.
 */
export interface CurrentPublication {
  objects: KubeObject[];
  request?: RecordedPublishRequest;
  keys: ApiKeyMaterial[];
}

export function readCurrentPublication(
  objects: KubeObject[],
  now = new Date(),
): CurrentPublication {
  const request = readPublishRequest(objects);
  const secret = objects.find(o => o.kind === 'Secret') as
    | (KubeObject & { data?: Record<string, string> })
    | undefined;
  return { objects, request, keys: liveKeys(keysFromSecret(secret), now) };
}

/** Every publication has these (a BackendTrafficPolicy only when limits are set). */
const EXPECTED_KINDS = ['Secret', 'SecurityPolicy', 'AuthorizationPolicy'];

/** The API's view of a publication; undefined when the model is not published. */
export function summarizePublication(
  tenant: Tenant,
  model: string,
  current: CurrentPublication,
): PublicationSummary | undefined {
  const { request } = current;
  if (!request) return undefined;
  const kinds = new Set(current.objects.map(o => o.kind));
  const complete = EXPECTED_KINDS.every(k => kinds.has(k));
  return {
    id: publicationId(tenant.name, model),
    tenant: tenant.name,
    namespace: tenant.namespace,
    cluster: tenant.cluster,
    model,
    modelType: request.modelType,
    publicModelName: request.publicModelName,
    hostname: request.hostname,
    endpoint: publicationEndpoint(tenant.name, model, request),
    auth: request.auth,
    limits: request.limits,
    state: complete ? 'published' : 'partial',
    apiKeys: current.keys.map(describeKey),
    updatedAt: current.objects
      .map(o => o.metadata.creationTimestamp)
      .filter((t): t is string => Boolean(t))
      .sort()
      .pop(),
  };
}
