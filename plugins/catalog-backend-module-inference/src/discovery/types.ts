import type { Tenant } from '@inference-in-a-box/backstage-plugin-inference-common';
import type {
  KubeObject,
  RecordedPublishRequest,
} from '@inference-in-a-box/backstage-plugin-inference-node';

/** A model's publication through the gateway, as its objects in the cluster record it. */
export interface ModelPublication {
  request: RecordedPublishRequest;
  /** What clients call: `https://<host>/v1` (OpenAI) or `https://<host>/models/<tenant>/<model>`. */
  endpoint: string;
}

/** An InferenceService found in a tenant namespace, with its publication when it has one. */
export interface DiscoveredModel {
  tenant: Tenant;
  isvc: KubeObject;
  publication?: ModelPublication;
}

/** `cluster/namespace/name`: how a model is identified across clusters. */
export function modelKey(model: {
  cluster: string;
  namespace: string;
  name: string;
}): string {
  return `${model.cluster}/${model.namespace}/${model.name}`;
}

export function keyOf(model: DiscoveredModel): string {
  return modelKey({
    cluster: model.tenant.cluster,
    namespace: model.tenant.namespace,
    name: model.isvc.metadata.name,
  });
}
