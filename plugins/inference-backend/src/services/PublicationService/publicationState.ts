import type { PublicationSummary } from '@internal/backstage-plugin-inference-common';
import type { KubeObject } from '../../cluster/types';
import {
  ApiKeyMaterial,
  describeKey,
  keysFromSecret,
  liveKeys,
} from '../../apiKeys/apiKeys';
import { readPublishRequest, RecordedPublishRequest } from '../../publication';
import { predictivePathPrefix } from '../../publication/buildRouteObjects';
import type { Tenant } from '../../tenants/TenantDirectory';

/** The request a publication enforces, read back from its objects. */
export type RecordedRequest = RecordedPublishRequest;

/** A publication as read back from the cluster: its objects, the recorded request and its keys. */
export interface PublicationState {
  objects: KubeObject[];
  request?: RecordedRequest;
  keys: ApiKeyMaterial[];
}

export function readPublicationState(
  objects: KubeObject[],
  now = new Date(),
): PublicationState {
  const request = readPublishRequest(objects);
  const secret = objects.find(o => o.kind === 'Secret') as
    | (KubeObject & { data?: Record<string, string> })
    | undefined;
  return { objects, request, keys: liveKeys(keysFromSecret(secret), now) };
}

/** The endpoint users call: the gateway's OpenAI base, or the model's path prefix. */
export function endpointOf(
  tenant: Tenant,
  model: string,
  request: RecordedRequest,
): string {
  return request.modelType === 'openai'
    ? `https://${request.hostname}/v1`
    : `https://${request.hostname}${predictivePathPrefix(tenant.name, model)}`;
}

/** Every publication has these (a BackendTrafficPolicy only when limits are set). */
const EXPECTED_KINDS = ['Secret', 'SecurityPolicy', 'AuthorizationPolicy'];

export function summarizePublication(
  tenant: Tenant,
  model: string,
  state: PublicationState,
  id: string,
): PublicationSummary | undefined {
  const { request } = state;
  if (!request) return undefined;
  const kinds = new Set(state.objects.map(o => o.kind));
  const complete = EXPECTED_KINDS.every(k => kinds.has(k));
  return {
    id,
    tenant: tenant.name,
    namespace: tenant.namespace,
    cluster: tenant.cluster,
    model,
    modelType: request.modelType,
    publicModelName: request.publicModelName,
    hostname: request.hostname,
    endpoint: endpointOf(tenant, model, request),
    auth: request.auth,
    limits: request.limits,
    state: complete ? 'published' : 'partial',
    apiKeys: state.keys.map(describeKey),
    updatedAt: state.objects
      .map(o => o.metadata.creationTimestamp)
      .filter((t): t is string => Boolean(t))
      .sort()
      .pop(),
  };
}
