/* eslint-disable no-console */
import http from 'node:http';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import permissionBackend from '@backstage/plugin-permission-backend';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  catalogTenantGroups,
  clusterRegistryServiceRef,
  InferencePortalPolicy,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import {
  authWithActors,
  catalogUserInfo,
} from '@internal/inference-test-utils';

const keepAlive = new http.Agent({ keepAlive: true });

/**
 * One HTTP request over a keep-alive pool, the answer read whole: the client of both sides of a
 * comparison (the backend, and the API server directly), as lean as the backend's own cluster
 * client, so that a client's overhead flatters neither side.
 */
export function httpRequest(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
  } = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: options.method ?? 'GET',
      agent: keepAlive,
      headers: {
        ...options.headers,
        ...(options.body !== undefined
          ? { 'content-length': String(Buffer.byteLength(options.body)) }
          : {}),
      },
    });
    req.on('error', reject);
    req.on('response', res => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.end(options.body);
  });
}

/** Rate caps no benchmark reaches: they measure the backend, not the per-user caps on a burst. */
export const UNCAPPED = {
  testInvocations: { requests: 1_000_000 },
  mutations: { requests: 1_000_000 },
};

export const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The p-th percentile (nearest rank), p in 0..100. */
export const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
};

export async function time(
  fn: () => Promise<unknown> | unknown,
): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Runs a benchmark's main and exits with its outcome (the backend's timers would keep it alive). */
export function runBenchmark(main: () => Promise<void>) {
  main().then(
    () => process.exit(0),
    error => {
      console.error(error);
      process.exit(1);
    },
  );
}

/**
 * The real permission framework as the portal runs it (packages/backend: the permission backend
 * with InferencePortalPolicy and catalogTenantGroups; users' groups from the catalog files; the
 * on-behalf-of tokens keep their actor, which the mock auth service drops and the permission
 * framework needs), so that a benchmark pays for every permission round trip a deployed portal
 * makes: the policy answers a tenant member with a CONDITIONAL decision. The same wiring as
 * packages/backend/src/permissions/__testUtils__; the policy module is a copy of the backend's
 * (packages/backend/src/permissions/policyModule.ts), which this plugin cannot import: the backend
 * package depends on it.
 * Pass with `rootConfig: { permission: { enabled: true } }`; `extraEntities` are catalog entities
 * besides the repository's (users' groups are read from their `spec.memberOf`).
 */
export function portalPermissionFeatures(extraEntities: Entity[] = []) {
  const policyModule = createBackendModule({
    pluginId: 'permission',
    moduleId: 'bench-inference-portal-policy',
    register(reg) {
      reg.registerInit({
        deps: {
          policy: policyExtensionPoint,
          catalog: catalogServiceRef,
          auth: coreServices.auth,
          config: coreServices.rootConfig,
          logger: coreServices.logger,
          clusters: clusterRegistryServiceRef,
        },
        async init({ policy, logger, ...tenantSources }) {
          policy.setPolicy(
            new InferencePortalPolicy({
              tenantGroups: catalogTenantGroups({ ...tenantSources, logger }),
              logger,
            }),
          );
        },
      });
    },
  });
  return [
    permissionBackend,
    policyModule,
    catalogUserInfo(extraEntities),
    authWithActors,
  ];
}
