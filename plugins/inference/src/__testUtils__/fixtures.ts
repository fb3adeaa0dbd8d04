import type { Entity } from '@backstage/catalog-model';
import type {
  ClusterOverview,
  DriftedObject,
  ModelSummary,
  ModelUsage,
  PublicationDrift,
  PublicationSummary,
  RolloutStatus,
  RolloutVersion,
  TenantUsage,
} from '@inference-in-a-box/backstage-plugin-inference-common';

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

/** A model's usage with no traffic at all (the fake API's default answer). */
export function modelUsage(overrides: Partial<ModelUsage> = {}): ModelUsage {
  return {
    model: { cluster: 'local', namespace: 'tenant-a', name: 'sklearn-iris' },
    window: '24h',
    requests: { total: 0, byStatusClass: {}, unauthorized: 0, rateLimited: 0 },
    latencyMs: {},
    series: { requests: [], rateLimited: [], errors: [] },
    keys: [],
    ...overrides,
  };
}

/** Five-minute points from 10:00 UTC on 2026-01-01 with the given values. */
export const points = (...values: number[]) =>
  values.map((value, i) => ({ t: 1767261600 + 300 * (i + 1), value }));

/**
 * An hour of qwen-chat's traffic: 30 requests, 12 answered for key `web` (1 failure in the model),
 * 6 for `batch` and 10 of `batch`'s rate-limited, 2 without a key (401); tokens and latency. Per
 * key, requests are the model's answers (by `2xx` or `error`), 429s apart.
 */
export function chatUsage(overrides: Partial<ModelUsage> = {}): ModelUsage {
  return {
    model: { cluster: 'local', namespace: 'tenant-a', name: 'qwen-chat' },
    window: '1h',
    requests: {
      total: 30,
      byStatusClass: { '2xx': 17, '4xx': 12, '5xx': 1 },
      unauthorized: 2,
      rateLimited: 10,
    },
    tokens: { input: 1234, output: 5678, total: 6912 },
    latencyMs: { p50: 84.4, p95: 1250 },
    series: {
      requests: points(4, 20, 6),
      rateLimited: points(0, 10, 0),
      errors: points(2, 10, 1),
      tokens: points(1000, 4000, 1912),
    },
    keys: [
      {
        keyId: 'key-0a1b2c3d4e5f',
        name: 'web',
        requests: {
          total: 12,
          byStatusClass: { '2xx': 11, error: 1 },
          rateLimited: 0,
        },
        tokens: { input: 700, output: 3000, total: 3700 },
        headroom: [
          {
            limit: 'requestsPerMinute',
            max: 5,
            used: 2,
            windowSeconds: 60,
          },
          {
            limit: 'tokensPerHour',
            max: 10_000,
            used: 8_500,
            windowSeconds: 3600,
          },
        ],
      },
      {
        keyId: 'key-99887766aabb',
        name: 'batch',
        requests: { total: 6, byStatusClass: { '2xx': 6 }, rateLimited: 10 },
        tokens: { input: 534, output: 2678, total: 3212 },
        headroom: [
          {
            limit: 'requestsPerMinute',
            max: 5,
            used: 7,
            windowSeconds: 60,
          },
        ],
      },
    ],
    ...overrides,
  };
}

/** A tenant's usage over a day. */
export function tenantUsage(
  tenant: string,
  requests: number,
  tokens: number,
  overrides: Partial<TenantUsage> = {},
): TenantUsage {
  return {
    tenant,
    window: '24h',
    requests: {
      total: requests,
      byStatusClass: { '2xx': requests },
      rateLimited: 0,
    },
    tokens: { input: tokens, output: 0, total: tokens },
    models: [],
    ...overrides,
  };
}

/**
 * A drift check of sklearn-iris that found its per-minute rate limit raised from 60 to 600 by
 * `ops-oncall` (with kubectl), at 10:00 UTC on 2026-01-02. Overrides replace whole fields.
 */
export function rateLimitDrift(
  overrides: Partial<PublicationDrift> = {},
): PublicationDrift {
  return {
    checkedAt: '2026-01-02T10:00:00Z',
    objects: [
      {
        apiVersion: 'gateway.envoyproxy.io/v1alpha1',
        kind: 'BackendTrafficPolicy',
        namespace: 'tenant-a',
        name: 'sklearn-iris-rate-limits',
        change: 'changed',
        fields: [
          {
            path: 'spec.rateLimit.global.rules.0.limit.requests',
            before: 60,
            after: 600,
            manager: 'ops-oncall',
          },
        ],
        weakensGuard: false,
        managers: ['ops-oncall'],
      },
    ],
    ...overrides,
  };
}

/** A guard the backend put back by itself: the API key SecurityPolicy, deleted by `kubectl`. */
export const restoredSecurityPolicy: DriftedObject = {
  apiVersion: 'gateway.envoyproxy.io/v1alpha1',
  kind: 'SecurityPolicy',
  namespace: 'tenant-a',
  name: 'sklearn-iris-auth',
  change: 'missing',
  fields: [],
  weakensGuard: true,
  managers: ['kubectl-client-side-apply'],
};

const IRIS = { cluster: 'local', namespace: 'tenant-a', name: 'sklearn-iris' };

/** A revision of sklearn-iris (`sklearn-iris-predictor-0000<n>`), Ready unless said otherwise. */
export function revision(
  n: number,
  overrides: Partial<RolloutVersion> = {},
): RolloutVersion {
  return {
    revision: `sklearn-iris-predictor-0000${n}`,
    percent: 100,
    ready: true,
    ...overrides,
  };
}

/** Rollout states of sklearn-iris in Knative mode, as the backend describes them. */
export const rollouts = {
  stable: (): RolloutStatus => ({
    model: IRIS,
    deploymentMode: 'Knative',
    supported: true,
    phase: 'stable',
    stable: revision(1),
    explanation: 'sklearn-iris-predictor-00001 serves all traffic.',
  }),
  progressing: (): RolloutStatus => ({
    model: IRIS,
    deploymentMode: 'Knative',
    supported: true,
    phase: 'progressing',
    canaryTrafficPercent: 20,
    stable: revision(1),
    candidate: revision(2, { percent: 0, ready: false }),
    explanation:
      'The new version sklearn-iris-predictor-00002 is starting; sklearn-iris-predictor-00001 keeps 100 % of the traffic until it is Ready.',
  }),
  canary: (candidatePercent = 20): RolloutStatus => ({
    model: IRIS,
    deploymentMode: 'Knative',
    supported: true,
    phase: 'canary',
    canaryTrafficPercent: 20,
    stable: revision(1, { percent: 100 - candidatePercent }),
    candidate: revision(2, { percent: candidatePercent }),
    explanation: `Canary: sklearn-iris-predictor-00002 gets ${candidatePercent} % of the traffic and sklearn-iris-predictor-00001 keeps ${
      100 - candidatePercent
    } % of the traffic. Promote it to all traffic, change its share, or roll back.`,
  }),
  failed: (): RolloutStatus => ({
    model: IRIS,
    deploymentMode: 'Knative',
    supported: true,
    phase: 'failed',
    canaryTrafficPercent: 20,
    stable: revision(1),
    candidate: revision(2, {
      percent: 0,
      ready: false,
      reason: 'RevisionFailed',
      message: 'storage-initializer: gs://bucket/missing: object not found',
    }),
    explanation:
      'The new version sklearn-iris-predictor-00002 is not Ready (RevisionFailed: storage-initializer: gs://bucket/missing: object not found); sklearn-iris-predictor-00001 keeps 100 % of the traffic. Roll back, or roll out a corrected version.',
  }),
  rolledBack: (): RolloutStatus => ({
    model: IRIS,
    deploymentMode: 'Knative',
    supported: true,
    phase: 'rolledBack',
    canaryTrafficPercent: 0,
    stable: revision(1),
    candidate: revision(2, { percent: 0 }),
    explanation:
      'Rolled back: sklearn-iris-predictor-00001 keeps 100 % of the traffic; the new version sklearn-iris-predictor-00002 gets none. Roll out again to try another version.',
  }),
  promoted: (): RolloutStatus => ({
    model: IRIS,
    deploymentMode: 'Knative',
    supported: true,
    phase: 'stable',
    stable: revision(2),
    explanation: 'sklearn-iris-predictor-00002 serves all traffic.',
  }),
  standard: (): RolloutStatus => ({
    model: IRIS,
    deploymentMode: 'Standard',
    supported: false,
    phase: 'stable',
    explanation:
      'Standard-mode models have no revisions to split traffic between: KServe rolls out canaries only in Knative mode. Blue-green between two InferenceServices by route weights is not available from the portal yet; deploy the model in Knative mode to roll out new versions gradually.',
  }),
};
