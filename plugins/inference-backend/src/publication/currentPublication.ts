import {
  PublicationSummary,
  publicationId,
  Tenant,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  KubeObject,
  publicationEndpoint,
  readPublishRequest,
  RecordedPublishRequest,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import {
  ApiKeyMaterial,
  describeKey,
  keysFromSecret,
  liveKeys,
} from '../apiKeys/apiKeys';

/**
 * A publication as read back from the cluster: its objects, the request they enforce and its
 * keys. The cluster is the record; there is no second copy to drift from it.
 */
export interface CurrentPublication {
  objects: KubeObject[];
  request?: RecordedPublishRequest;
  /** Keys still in their validity (what a re-apply keeps). */
  keys: ApiKeyMaterial[];
  /**
   * Every key in the Secret, expired ones included: the gateway accepts all of them until the
   * expiry task (or the next change) removes the expired ones, so listings show them all.
   */
  allKeys: ApiKeyMaterial[];
  /** The time `keys` were judged at. */
  readAt: Date;
}

export function readCurrentPublication(
  objects: KubeObject[],
  now = new Date(),
): CurrentPublication {
  const request = readPublishRequest(objects);
  const secret = objects.find(o => o.kind === 'Secret') as
    | (KubeObject & { data?: Record<string, string> })
    | undefined;
  const allKeys = keysFromSecret(secret);
  return {
    objects,
    request,
    keys: liveKeys(allKeys, now),
    allKeys,
    readAt: now,
  };
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
    // Expired keys still in the Secret still work: listed, marked expired, never hidden.
    apiKeys: current.allKeys.map(k => describeKey(k, current.readAt)),
    updatedAt: current.objects
      .map(o => o.metadata.creationTimestamp)
      .filter((t): t is string => Boolean(t))
      .sort()
      .pop(),
  };
}
