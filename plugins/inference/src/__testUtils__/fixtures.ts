import type { Entity } from '@backstage/catalog-model';
import type {
  ClusterOverview,
  ModelSummary,
  PublicationSummary,
} from '@internal/backstage-plugin-inference-common';

/** A catalog model entity as catalog/models.yaml declares them. */
export function modelEntity(
  name: string,
  options: {
    tenant?: string;
    framework?: string;
    modelType?: 'openai' | 'predictive';
    title?: string;
    cluster?: string | null;
  } = {},
): Entity {
  const {
    tenant = 'tenant-a',
    framework = 'sklearn',
    modelType = 'predictive',
    cluster = 'local',
  } = options;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      ...(options.title ? { title: options.title } : {}),
      annotations: {
        'inference.platform.io/namespace': tenant,
        'inference.platform.io/inference-service': name,
        ...(cluster ? { 'inference.platform.io/cluster': cluster } : {}),
        'inference.platform.io/framework': framework,
        'inference.platform.io/model-type': modelType,
      },
    },
    spec: {
      type: 'model',
      lifecycle: 'production',
      owner: `group:default/${tenant}`,
    },
  };
}

export function liveModel(
  name: string,
  options: Partial<Omit<ModelSummary, 'name' | 'status'>> & {
    ready?: boolean;
    reason?: string;
  } = {},
): ModelSummary {
  const { ready = true, reason, ...rest } = options;
  return {
    name,
    namespace: rest.tenant ?? 'tenant-a',
    tenant: 'tenant-a',
    cluster: 'local',
    framework: 'sklearn',
    modelType: 'predictive',
    published: false,
    ...rest,
    status: { ready, reason, replicas: { min: 1, max: 3 }, conditions: [] },
  };
}

export function publication(
  overrides: Partial<PublicationSummary> = {},
): PublicationSummary {
  return {
    id: 'tenant-a-sklearn-iris',
    tenant: 'tenant-a',
    namespace: 'tenant-a',
    cluster: 'local',
    model: 'sklearn-iris',
    modelType: 'predictive',
    publicModelName: 'sklearn-iris',
    hostname: 'api.router.inference-in-a-box',
    endpoint:
      'https://api.router.inference-in-a-box/models/tenant-a/sklearn-iris',
    auth: { apiKey: true, jwt: false },
    limits: { requestsPerMinute: 60, requestsPerHour: 3600 },
    state: 'published',
    apiKeys: [],
    ...overrides,
  };
}

/**
 * A reachable cluster of the platform overview: KServe installed, Istio's security API not, the
 * Gateway found with one condition true and one false, and tenant-a with 2 models, 1 published.
 */
export function clusterOverview(
  overrides: Partial<ClusterOverview> = {},
): ClusterOverview {
  return {
    cluster: 'local',
    reachable: true,
    apiGroups: [
      {
        group: 'serving.kserve.io',
        installed: true,
        versions: ['v1beta1', 'v1alpha1'],
        preferredVersion: 'v1beta1',
      },
      { group: 'security.istio.io', installed: false, versions: [] },
    ],
    gateway: {
      name: 'ai-inference-gateway',
      namespace: 'envoy-gateway-system',
      found: true,
      conditions: [
        { type: 'Accepted', status: 'True', reason: 'Accepted' },
        {
          type: 'Programmed',
          status: 'False',
          reason: 'AddressNotAssigned',
          message: 'No addresses have been assigned to the Gateway',
        },
      ],
    },
    tenants: [
      { tenant: 'tenant-a', namespace: 'tenant-a', models: 2, publications: 1 },
    ],
    ...overrides,
  };
}
