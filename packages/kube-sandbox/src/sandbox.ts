import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ResourceRegistry } from './api/resourceRegistry';
import { ResourceService } from './api/resourceService';
import { RequestAudit, RequestAuditLog } from './audit/requestAudit';
import { startControllers } from './controllers/startControllers';
import { FaultInjector, FaultRegistry } from './faults/faultInjector';
import { buildKubeconfig } from './kubeconfig';
import { storageUriOfDestination } from './modelServer/destinationStorageUri';
import { startModelServer } from './modelServer/modelServer';
import { createSandboxStore, SandboxStore } from './sandboxStore';
import { loadCrdCatalog } from './schema/catalog';
import {
  celReportLines,
  celRuleReport,
  CelRuleReport,
} from './schema/cel/celRuleReport';
import { defaultCrdDir } from './schema/crdFiles';
import { seedFromDirectories, SeedReport } from './seed';
import { createApiRequestListener } from './server/apiServer';
import { OpenApiDocuments } from './server/openapi';
import { ObjectStore } from './store/objectStore';

/** @public */
export interface KubeSandboxOptions {
  /** API server port; 0 (default) picks a free one. */
  port?: number;
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** CRD folder; default {@link defaultCrdDir}. */
  crdDir?: string;
  /** Simulated controllers (default on); `readyDelayMs` defaults to 1000. */
  controllers?: boolean | { readyDelayMs?: number };
  /** Folders of YAML manifests to apply at start. */
  seedDir?: string | string[];
  /** Mock model server on its own port (default off in the library, on in the CLI). */
  modelServer?: boolean | { port?: number };
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  logger?: (line: string) => void;
}

/** @public */
export interface KubeSandbox {
  /** Base URL of the API server, e.g. `http://127.0.0.1:41234`. */
  url: string;
  modelServerUrl?: string;
  close(): Promise<void>;
  /** A kubeconfig (YAML) that points kubectl and client-node at the sandbox. */
  kubeconfig(): string;
  faults: FaultInjector;
  store: SandboxStore;
  /** What seeding applied and what it could not (unknown kinds, invalid objects). */
  seedReport: SeedReport;
  /**
   * Every API request the sandbox served (the last 10,000), HTTP requests and the simulated
   * controllers' writes alike, e.g. to check that no request deleted an object.
   */
  audit: RequestAudit;
  /**
   * The CRDs' CEL rules (`x-kubernetes-validations`): how many are evaluated on writes, and the
   * ones that are not (compile error or a function the evaluator lacks), logged at start.
   */
  celReport: CelRuleReport;
}

const INITIAL_NAMESPACES = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

function listen(
  server: http.Server,
  port: number,
  host: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise(resolve => {
    server.close(() => resolve());
    // Watches and keep-alive sockets would otherwise hold close() open.
    server.closeAllConnections();
  });
}

/**
 * Starts the sandbox: a loopback Kubernetes API server serving the legacy
 * core kinds and every CRD of the CRD folder, plus optional controllers,
 * seed data and mock model server.
 *
 * @public
 */
export async function startKubeSandbox(
  options: KubeSandboxOptions = {},
): Promise<KubeSandbox> {
  const logger = options.logger ?? (() => {});
  const host = options.host ?? '127.0.0.1';
  const catalog = loadCrdCatalog(options.crdDir ?? defaultCrdDir(), { logger });
  // Every CEL rule is compiled and the ones that cannot be evaluated are logged right after the
  // start, off the start's critical path (~0.4 s the first time in a process); reading
  // `celReport` earlier does it at once. Writes compile what they need meanwhile.
  let celReport: CelRuleReport | undefined;
  const reportCelRules = (): CelRuleReport => {
    if (!celReport) {
      celReport = celRuleReport(catalog);
      celReportLines(celReport).forEach(line => logger(line));
    }
    return celReport;
  };
  const celReportTimer = setImmediate(reportCelRules);
  const registry = new ResourceRegistry(catalog);
  const store = new ObjectStore();
  const service = new ResourceService(store, registry);
  const faults = new FaultRegistry();
  const audit = new RequestAuditLog();

  const namespaces = registry.byPath('', 'v1', 'namespaces')!;
  for (const name of INITIAL_NAMESPACES) {
    service.create(
      namespaces,
      { metadata: { name } },
      { fieldManager: 'kube-sandbox' },
    );
  }

  const server = http.createServer(
    createApiRequestListener({
      service,
      openapi: new OpenApiDocuments(registry),
      faults,
      token: options.token,
      logger,
      audit,
    }),
  );
  const port = await listen(server, options.port ?? 0, host);
  const url = `http://${host}:${port}`;

  const controllerOptions = options.controllers ?? true;
  const stopControllers =
    controllerOptions === false
      ? () => {}
      : startControllers(service, {
          readyDelayMs:
            controllerOptions === true
              ? undefined
              : controllerOptions.readyDelayMs,
          logger,
          audit,
        });

  const seedDirs =
    options.seedDir === undefined ? [] : [options.seedDir].flat();
  const seedReport = seedFromDirectories(service, seedDirs, logger);
  const sandboxStore = createSandboxStore(store, registry);

  let modelServer: { url: string; close(): Promise<void> } | undefined;
  if (options.modelServer) {
    const modelPort =
      options.modelServer === true ? 0 : options.modelServer.port ?? 0;
    modelServer = await startModelServer({
      port: modelPort,
      host,
      logger,
      storageUriOf: destination =>
        storageUriOfDestination(sandboxStore, destination),
    });
  }

  return {
    url,
    modelServerUrl: modelServer?.url,
    faults,
    store: sandboxStore,
    seedReport,
    audit,
    get celReport() {
      return reportCelRules();
    },
    kubeconfig: () => buildKubeconfig(url, options.token),
    async close() {
      clearImmediate(celReportTimer);
      stopControllers();
      await Promise.all([closeServer(server), modelServer?.close()]);
    },
  };
}
