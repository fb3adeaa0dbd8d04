import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { startKubeSandbox } from '@internal/kube-sandbox';
import { readClusterConfig } from './cluster/readClusterConfig';
import type { ClusterRegistry } from './cluster/ClusterRegistry';
import { clusterRegistryServiceRef } from './clusterRegistryServiceRef';
import { KINDS } from './kinds';
import { clusterRegistryServiceMock } from './testUtils';

/** Starts a backend whose only plugin receives the cluster registry, and returns that registry. */
async function registryOf(features: unknown[], config: object) {
  let received: ClusterRegistry | undefined;
  const probe = createBackendPlugin({
    pluginId: 'probe',
    register(env) {
      env.registerInit({
        deps: { clusters: clusterRegistryServiceRef },
        async init({ clusters }) {
          received = clusters;
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      probe,
      mockServices.rootConfig.factory({ data: config }),
      ...(features as never[]),
    ],
  });
  return { registry: received!, stop: () => backend.stop() };
}

const cluster = (name: string) => ({
  name,
  url: `https://${name}.example`,
  serviceAccountToken: 't',
});

describe('clusterRegistryServiceRef', () => {
  it('reads inference.clusters by default', async () => {
    const { registry, stop } = await registryOf([], {
      inference: { clusters: [cluster('eu'), cluster('us')] },
    });
    expect(registry.names()).toEqual(['eu', 'us']);
    expect(registry.defaultName()).toBe('eu');
    expect(() => registry.get('asia')).toThrow(
      "No cluster named 'asia' is configured",
    );
    await stop();
  });

  it("falls back to the Kubernetes plugin's config clusters", async () => {
    const { registry, stop } = await registryOf([], {
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'catalog' },
          { type: 'config', clusters: [cluster('local')] },
        ],
      },
    });
    expect(registry.names()).toEqual(['local']);
    await stop();
  });

  it('is replaced by clusterRegistryServiceMock.factory, which reaches a sandbox', async () => {
    const sandbox = await startKubeSandbox({ controllers: false });
    try {
      const { registry, stop } = await registryOf(
        [
          clusterRegistryServiceMock.factory({
            clusters: [{ name: 'sandbox', url: sandbox.url }],
          }),
        ],
        { inference: { clusters: [cluster('ignored')] } },
      );
      expect(registry.names()).toEqual(['sandbox']);
      const namespaces = await registry
        .get('sandbox')
        .list(KINDS.namespace.apiVersion, KINDS.namespace.kind);
      expect(namespaces.map(n => n.metadata.name)).toContain('default');
      await stop();
    } finally {
      await sandbox.close();
    }
  });
});

describe('readClusterConfig', () => {
  const read = (data: object) => () =>
    readClusterConfig(new ConfigReader(data));

  it('refuses a cluster name configured twice', () => {
    expect(
      read({ inference: { clusters: [cluster('eu'), cluster('eu')] } }),
    ).toThrow("Cluster name 'eu' is configured twice");
  });

  it('refuses auth providers other than a service-account token', () => {
    expect(
      read({
        inference: {
          clusters: [{ ...cluster('eu'), authProvider: 'aws' }],
        },
      }),
    ).toThrow("authProvider 'aws' is not supported");
  });

  it('has defaults for timeouts, attempts and the field manager', () => {
    expect(read({})().kubernetes).toEqual({
      requestTimeoutMs: 10_000,
      maxAttempts: 3,
      fieldManager: 'inference-portal',
    });
  });
});

describe('clusterRegistryServiceMock.mock', () => {
  it('answers with the given clients and refuses others', () => {
    const client = { name: 'a' } as never;
    const registry = clusterRegistryServiceMock.mock({ a: client });
    expect(registry.names()).toEqual(['a']);
    expect(registry.get('a')).toBe(client);
    expect(() => registry.get('b')).toThrow();
    expect(registry.get).toHaveBeenCalledTimes(2);
  });
});
