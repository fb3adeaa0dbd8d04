import kubernetesBackend from '@backstage/plugin-kubernetes-backend';
import {
  InferenceTestBackend,
  startInferenceTestBackend,
} from '@internal/inference-test-utils';
import {
  jestClusterAccess,
  kubernetesConfigFor,
  startForwarder,
} from '../../__testUtils__/clusterForwarder';
import { portalPermissionFeatures } from '../../permissions/__testUtils__/testServices';
import tenantScopedObjectsModule from '../tenantScopedObjectsModule';

/**
 * The real Kubernetes backend plugin as the portal installs it (tenant-scoped object reads, the
 * portal's permission policy) on a test backend whose cluster `local` is a Kubernetes sandbox.
 * `kubernetes` adds to the plugin's config (object types, custom resources).
 */
export async function startPortalKubernetesBackend(options: {
  kubernetes: object;
  features?: unknown[];
}): Promise<InferenceTestBackend> {
  const forwarder = await startForwarder();
  const backend = await startInferenceTestBackend(kubernetesBackend, {
    features: [
      ...(options.features ?? []),
      tenantScopedObjectsModule,
      jestClusterAccess,
      ...portalPermissionFeatures(),
    ],
    rootConfig: {
      permission: { enabled: true },
      kubernetes: kubernetesConfigFor(forwarder.url, options.kubernetes),
    },
  });
  forwarder.setTarget(backend.sandbox.url);
  return {
    ...backend,
    async stop() {
      await backend.stop();
      await new Promise(done => forwarder.server.close(done));
    },
  };
}
