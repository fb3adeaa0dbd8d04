import {
  apiAs,
  InferenceTestBackend,
  irisSpec,
  startInferenceTestBackend,
  storedObject,
} from '@internal/inference-test-utils';
import { startKubeSandbox, KubeSandbox } from '@internal/kube-sandbox';
import {
  ClusterClient,
  createClusterRegistry,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { inferencePlugin } from '../plugin';
import { publicationObjectNames } from '../publication/build/objectNames';

export * from '@internal/inference-test-utils';

/** This plugin on a test backend against a fresh Kubernetes sandbox (see inference-test-utils). */
export function startPluginBackend(
  options?: Parameters<typeof startInferenceTestBackend>[1],
) {
  return startInferenceTestBackend(inferencePlugin, options);
}

/**
 * The API keys a publication's Secret holds in the cluster (key id to the decoded key), which is
 * what the gateway checks, whatever the API lists. Empty when there is no Secret. The test
 * catalog's tenants each live in the namespace of their own name.
 */
export function storedApiKeys(
  backend: InferenceTestBackend,
  tenant: string,
  model: string,
): Record<string, string> {
  const secret = storedObject<{ data?: Record<string, string> }>(
    backend,
    'secret',
    tenant,
    publicationObjectNames(tenant, model).apiKeysSecret,
  );
  return Object.fromEntries(
    Object.entries(secret?.data ?? {}).map(([id, value]) => [
      id,
      Buffer.from(value, 'base64').toString(),
    ]),
  );
}

/** The requests-per-unit limit of a publication's traffic policy as stored in the cluster. */
export function storedRequestLimit(
  backend: InferenceTestBackend,
  tenant: string,
  model: string,
): number | undefined {
  return storedObject<any>(
    backend,
    'backendTrafficPolicy',
    tenant,
    publicationObjectNames(tenant, model).trafficPolicy,
  )?.spec.rateLimit.global.rules[0].limit.requests;
}

/**
 * Creates and publishes an iris model, then creates a key and rotates it with a 1 s grace period.
 * Returns the ids of [the rotated key, its successor].
 */
export async function publishWithRotatedKey(
  api: ReturnType<typeof apiAs>,
  namespace: string,
  model: string,
): Promise<[string, string]> {
  await api.createReadyModel(namespace, irisSpec(model));
  await api.publish(namespace, model, {
    publicModelName: model,
    auth: { apiKey: true },
    limits: {},
  });
  const keys = `/models/local/${namespace}/${model}/publication/keys`;
  const old = await api.post(keys, { name: 'ci' });
  const next = await api.post(`${keys}/${old.body.id}/rotate`, {
    graceSeconds: 1,
  });
  if (old.status !== 201 || next.status !== 201) {
    throw new Error(
      `rotating a key of ${model}: ${old.status}, ${next.status}`,
    );
  }
  return [old.body.id, next.body.id];
}

/**
 * A Kubernetes sandbox without controllers, one namespace in it, and a cluster client per field
 * manager: for tests of what server-side apply stores (managedFields, defaults).
 */
export async function sandboxWithClients<M extends string>(
  namespace: string,
  fieldManagers: readonly M[],
): Promise<{ sandbox: KubeSandbox; clients: Record<M, ClusterClient> }> {
  const sandbox = await startKubeSandbox({ controllers: false });
  await fetch(`${sandbox.url}/api/v1/namespaces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ metadata: { name: namespace } }),
  });
  const clients = Object.fromEntries(
    fieldManagers.map(fieldManager => [
      fieldManager,
      createClusterRegistry({
        clusters: [{ name: 'local', url: sandbox.url, skipTLSVerify: true }],
        kubernetes: { fieldManager, requestTimeoutMs: 10_000, maxAttempts: 1 },
      }).get('local'),
    ]),
  ) as Record<M, ClusterClient>;
  return { sandbox, clients };
}
