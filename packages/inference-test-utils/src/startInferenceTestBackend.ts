import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type {
  BackendFeature,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { readFileSync } from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { parse } from 'yaml';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { startKubeSandbox } from '@internal/kube-sandbox';
import type { KubeSandbox } from '@internal/kube-sandbox';
import { startGatewaySandbox } from '@internal/gateway-sandbox';
import type { GatewaySandbox } from '@internal/gateway-sandbox';
import { loadCatalogEntities } from './catalogFixtures';

export const TENANT_NAMESPACES = ['tenant-a', 'tenant-b', 'tenant-c'];

/** The platform's namespace and Gateway, as the real platform installs them. */
const PLATFORM_GATEWAY = ['namespace.yaml', 'gateway.yaml'].map(file =>
  resolvePackagePath(
    '@internal/inference-test-utils',
    '../../configs/envoy-gateway',
    file,
  ),
);

/**
 * The GenAI metrics' request header labels as the platform installs AI Gateway
 * (`controller.metricsRequestHeaderAttributes`: the caller's client id as `client_id`), so the
 * double's metrics carry the labels a real gateway's do, as in development (scripts/start.sh).
 */
const METRICS_REQUEST_HEADER_ATTRIBUTES: string = parse(
  readFileSync(
    resolvePackagePath(
      '@internal/inference-test-utils',
      '../../configs/ai-gateway/ai-gateway.values.yaml',
    ),
    'utf8',
  ),
).controller.metricsRequestHeaderAttributes;

/** A Kubernetes sandbox with the tenant namespaces, and the gateway double in front of its model server. */
export interface InferenceSandbox {
  sandbox: KubeSandbox;
  /** Absent with `gatewayDouble: false`. */
  gateway?: GatewaySandbox;
  close(): Promise<void>;
}

/**
 * A fresh Kubernetes sandbox with the tenant namespaces (labelled as the platform labels them), as
 * every inference test backend gets: simulated controllers that report a model Ready after
 * `readyDelayMs` (default 50), the mock model server and, unless `gatewayDouble` is false, the
 * platform's Gateway and the gateway double in front of the model server.
 */
export async function startInferenceSandbox(
  options: {
    readyDelayMs?: number;
    gatewayDouble?: boolean;
    /** The sandbox's own log lines (e.g. `fault injected: ...`). */
    logger?: (line: string) => void;
  } = {},
): Promise<InferenceSandbox> {
  const withGateway = options.gatewayDouble ?? true;
  const sandbox = await startKubeSandbox({
    controllers: { readyDelayMs: options.readyDelayMs ?? 50 },
    modelServer: true,
    seedDir: withGateway ? PLATFORM_GATEWAY : [],
    logger: options.logger,
  });
  for (const namespace of TENANT_NAMESPACES) {
    const response = await fetch(`${sandbox.url}/api/v1/namespaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: namespace,
          labels: { 'inference.platform.io/tenant-namespace': 'true' },
        },
      }),
    });
    if (!response.ok)
      throw new Error(`creating namespace ${namespace}: ${response.status}`);
  }
  const gateway = withGateway
    ? await startGatewaySandbox({
        kubeApiUrl: sandbox.url,
        resolveBackend: () => sandbox.modelServerUrl,
        metricsRequestHeaderAttributes: METRICS_REQUEST_HEADER_ATTRIBUTES,
      })
    : undefined;
  return {
    sandbox,
    gateway,
    async close() {
      await gateway?.close();
      await sandbox.close();
    },
  };
}

/**
 * The `inference` config of a test backend on a sandbox: the sandbox as cluster `local`, test
 * invocations through the gateway double (or the model server), the repository's publishing
 * hostnames, and no scheduled drift check (a test that changes objects by hand must not race it).
 */
export function inferenceTestConfig(
  sandbox: InferenceSandbox,
  kubernetes: { requestTimeoutMs: number; maxAttempts: number } = {
    requestTimeoutMs: 2000,
    maxAttempts: 3,
  },
) {
  return {
    clusters: [
      {
        name: 'local',
        url: sandbox.sandbox.url,
        serviceAccountToken: 'test',
        skipTLSVerify: true,
      },
    ],
    kubernetes,
    gateway: {
      invokeBaseUrl: sandbox.gateway?.url ?? sandbox.sandbox.modelServerUrl,
    },
    publishing: {
      defaultHostname: 'api.router.inference-in-a-box',
      allowedHostnames: [
        'api.router.inference-in-a-box',
        '*.inference-in-a-box',
      ],
    },
    drift: { enabled: false },
  };
}

export interface InferenceTestBackend {
  server: Parameters<typeof import('supertest')>[0];
  sandbox: KubeSandbox;
  /**
   * The gateway data-path double in front of the mock model server, the backend's
   * `inference.gateway.invokeBaseUrl` (absent with `gatewayDouble: false`).
   */
  gateway?: GatewaySandbox;
  stop(): Promise<void>;
}

/**
 * The inference plugin (passed in, so that this helper never imports a plugin) on a test backend,
 * talking over HTTP to a fresh Kubernetes sandbox with the tenant namespaces, reading tenants from
 * the repository's catalog files.
 */
export async function startInferenceTestBackend(
  inferencePlugin: BackendFeature | Promise<{ default: BackendFeature }>,
  options: {
    features?: Array<ServiceFactory | Promise<{ default: unknown }> | unknown>;
    readyDelayMs?: number;
    /** Extra keys of the `inference` config. */
    config?: Record<string, unknown>;
    /** Catalog entities besides the repository's catalog files. */
    entities?: Entity[];
    /** Extra top-level config, e.g. `permission`. */
    rootConfig?: Record<string, unknown>;
    /**
     * Put the gateway double (API keys, rate limits) between test invocations and the mock
     * model server, as in development (default true); false calls the model server directly.
     */
    gatewayDouble?: boolean;
  } = {},
): Promise<InferenceTestBackend> {
  const started = await startInferenceSandbox({
    readyDelayMs: options.readyDelayMs,
    gatewayDouble: options.gatewayDouble,
  });
  const { sandbox, gateway } = started;
  const testBackend = await startTestBackend({
    features: [
      inferencePlugin,
      catalogServiceMock.factory({
        entities: [...loadCatalogEntities(), ...(options.entities ?? [])],
      }),
      mockServices.rootConfig.factory({
        data: {
          ...options.rootConfig,
          inference: {
            // Drift tests turn the scheduled check on, or call the check route.
            ...inferenceTestConfig(started),
            ...options.config,
          },
        },
      }),
      ...((options.features ?? []) as never[]),
    ],
  });
  return {
    server: testBackend.server,
    sandbox,
    gateway,
    async stop() {
      await testBackend.stop();
      await started.close();
    },
  };
}
