// The inference backend alone in a process of its own, for benchmark.ts: the Kubernetes sandbox
// and the benchmark's clients run in the parent, so the backend's CPU and memory are its own and
// the sandbox serves the portal in parallel, as a real cluster does. Started with fork(); the
// parent sends { sandboxUrl, modelServerUrl, entities } and gets { port }, then asks for { stats }.
import type { Entity } from '@backstage/catalog-model';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { loadCatalogEntities } from '@internal/inference-test-utils';
import { inferencePlugin } from '../src/plugin';
import { portalPermissionFeatures, UNCAPPED } from './benchKit';

interface Start {
  sandboxUrl: string;
  modelServerUrl: string;
  /** Catalog entities besides the repository's catalog files. */
  entities: Entity[];
}

/** CPU time (user + system) and memory of this process, for the parent's load figure. */
export interface BackendStats {
  cpuMs: number;
  rss: number;
  maxRss: number;
  heapUsed: number;
}

async function start({ sandboxUrl, modelServerUrl, entities }: Start) {
  const all = [...loadCatalogEntities(), ...entities];
  const backend = await startTestBackend({
    features: [
      inferencePlugin,
      catalogServiceMock.factory({ entities: all }),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          inference: {
            clusters: [
              {
                name: 'local',
                url: sandboxUrl,
                serviceAccountToken: 'test',
                skipTLSVerify: true,
              },
            ],
            kubernetes: { requestTimeoutMs: 10_000, maxAttempts: 3 },
            gateway: { invokeBaseUrl: modelServerUrl },
            publishing: {
              defaultHostname: 'api.router.inference-in-a-box',
              allowedHostnames: [
                'api.router.inference-in-a-box',
                '*.inference-in-a-box',
              ],
            },
            drift: { enabled: false },
            rateCaps: UNCAPPED,
          },
        },
      }),
      ...portalPermissionFeatures(entities),
    ],
  });
  const address = backend.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

process.on('message', (message: { start?: Start; stats?: true }) => {
  if (message.start) {
    start(message.start).then(
      port => process.send!({ port }),
      error => {
        process.send!({ error: String(error?.stack ?? error) });
        process.exit(1);
      },
    );
  } else if (message.stats) {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const stats: BackendStats = {
      cpuMs: (cpu.user + cpu.system) / 1000,
      rss: memory.rss,
      maxRss: process.resourceUsage().maxRSS * 1024,
      heapUsed: memory.heapUsed,
    };
    process.send!({ stats });
  }
});
