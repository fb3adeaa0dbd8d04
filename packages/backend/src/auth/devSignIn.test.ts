// The auth plugin with the providers the backend adds (./index.ts), started on the repository's
// own configuration: production (app-config.yaml + app-config.production.yaml with the environment
// of configs/portal/deployment.yaml) has no development sign-in provider at all, development has both.
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { AppConfig, JsonObject, JsonValue } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { parse, parseAllDocuments } from 'yaml';
import request from 'supertest';
import { authFeatures, isDevelopmentSignIn } from '.';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '../../../..');
const read = (file: string) => readFileSync(resolve(ROOT, file), 'utf8');

/** The environment the Deployment gives the portal's container (literal values only). */
function deploymentEnv(): Record<string, string | undefined> {
  const deployment = parseAllDocuments(read('configs/portal/deployment.yaml'))
    .map(d => d.toJS())
    .find(d => d.kind === 'Deployment');
  const env: Array<{ name: string; value?: string }> =
    deployment.spec.template.spec.containers[0].env;
  return Object.fromEntries(env.map(e => [e.name, e.value]));
}

/** Dummy values for the variables app-config.production.yaml names, as the Deployment would set them. */
const PRODUCTION_ENV: Record<string, string> = {
  PORTAL_BASE_URL: 'https://portal.example.com',
  POSTGRES_HOST: 'postgres.example.com',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'portal',
  POSTGRES_PASSWORD: 'dummy',
  // Set to the fake identity provider below once it listens.
  AUTH_OIDC_METADATA_URL: '',
  AUTH_OIDC_CLIENT_ID: 'portal',
  AUTH_OIDC_CLIENT_SECRET: 'dummy',
  KUBERNETES_API_URL: 'https://kubernetes.example.com',
  KUBERNETES_SERVICE_ACCOUNT_TOKEN: 'dummy',
  KUBERNETES_CA_DATA: 'ZHVtbXk=',
};

/** `${NAME}` substitution as the config loader does it; an unknown name fails the test. */
function substitute(value: JsonValue): JsonValue {
  if (typeof value === 'string') {
    return value.replace(/\$\{(\w+)\}/g, (_, name: string) => {
      if (!(name in PRODUCTION_ENV)) {
        throw new Error(`no test value for environment variable ${name}`);
      }
      return PRODUCTION_ENV[name];
    });
  }
  if (Array.isArray(value)) return value.map(substitute);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substitute(v as JsonValue)]),
    );
  }
  return value;
}

/** The files as the backend loads them, with SQLite in memory standing in for PostgreSQL. */
function loadConfig(files: string[]) {
  const configs: AppConfig[] = files.map(file => ({
    context: file,
    data: substitute(parse(read(file))) as JsonObject,
  }));
  configs.push({
    context: 'test',
    data: {
      backend: {
        database: { client: 'better-sqlite3', connection: ':memory:' },
      },
    },
  });
  return ConfigReader.fromConfigs(configs);
}

/** Starts the auth plugin and its provider modules with `NODE_ENV` as given, the rest mocked. */
async function startAuth(files: string[], nodeEnv: string | undefined) {
  const config = loadConfig(files);
  const previous = process.env.NODE_ENV;
  setNodeEnv(nodeEnv);
  try {
    const backend = await startTestBackend({
      features: [
        createServiceFactory({
          service: coreServices.rootConfig,
          deps: {},
          factory: () => config,
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'User',
              metadata: { name: 'dev-a', namespace: 'default' },
              spec: { memberOf: [] },
            },
          ],
        }),
        ...authFeatures,
      ],
    });
    return { backend, config };
  } finally {
    setNodeEnv(previous);
  }
}

function setNodeEnv(value: string | undefined) {
  if (value === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = value;
}

const refresh = (
  backend: Awaited<ReturnType<typeof startTestBackend>>,
  provider: string,
  env: string,
  headers: Record<string, string> = {},
) =>
  request(backend.server)
    .get(`/api/auth/${provider}/refresh?env=${env}`)
    .set({ 'X-Requested-With': 'XMLHttpRequest', ...headers });

/** Serves the discovery document the OIDC provider fetches at start-up. */
async function startFakeIdentityProvider(): Promise<Server> {
  const server = createServer((_req, res) => {
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      }),
    );
  });
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  PRODUCTION_ENV.AUTH_OIDC_METADATA_URL = `http://127.0.0.1:${
    (server.address() as AddressInfo).port
  }/.well-known/openid-configuration`;
  return server;
}

describe('production sign-in', () => {
  const nodeEnv = deploymentEnv().NODE_ENV;
  let started: Awaited<ReturnType<typeof startAuth>>;
  let identityProvider: Server;

  beforeAll(async () => {
    identityProvider = await startFakeIdentityProvider();
    started = await startAuth(
      ['app-config.yaml', 'app-config.production.yaml'],
      nodeEnv,
    );
  });
  afterAll(async () => {
    await started?.backend.stop();
    identityProvider?.close();
  });

  it('runs with NODE_ENV=production from the Deployment', () => {
    expect(nodeEnv).toBe('production');
    expect(isDevelopmentSignIn(started.config, nodeEnv)).toBe(false);
  });

  it.each(['guest', 'devUsers'])(
    'has no %s provider: the auth plugin does not know it',
    async provider => {
      for (const env of ['development', 'production']) {
        const res = await refresh(started.backend, provider, env, {
          'x-dev-user': 'dev-a',
        });
        expect(res.status).toBe(404);
        expect(res.body.error.message).toBe(
          `Unknown auth provider '${provider}'`,
        );
      }
    },
  );

  it('has the OIDC provider', async () => {
    // No refresh cookie: the provider answers itself (not the unknown-provider 404).
    const res = await refresh(started.backend, 'oidc', 'production');
    expect(res.status).not.toBe(404);
    expect(res.body.error.message).not.toMatch(/Unknown auth provider/);
  });
});

describe('development sign-in', () => {
  const previous = process.env.NODE_ENV;
  let started: Awaited<ReturnType<typeof startAuth>>;

  beforeAll(async () => {
    // The guest provider checks NODE_ENV again on every sign-in, so it stays set for the requests.
    started = await startAuth(['app-config.yaml'], 'development');
    setNodeEnv('development');
  });
  afterAll(async () => {
    setNodeEnv(previous);
    await started?.backend.stop();
  });

  it('signs in as the guest (dev-a) and as a chosen demo user', async () => {
    expect(isDevelopmentSignIn(started.config, 'development')).toBe(true);
    const guest = await refresh(started.backend, 'guest', 'development');
    expect(guest.status).toBe(200);
    expect(guest.body.backstageIdentity.identity.userEntityRef).toBe(
      'user:default/dev-a',
    );
    const devUser = await refresh(started.backend, 'devUsers', 'development', {
      'x-dev-user': 'dev-a',
    });
    expect(devUser.status).toBe(200);
    expect(devUser.body.backstageIdentity.identity.userEntityRef).toBe(
      'user:default/dev-a',
    );
  });
});

describe('isDevelopmentSignIn', () => {
  const config = (environment?: string) =>
    new ConfigReader(environment ? { auth: { environment } } : {});

  it('needs NODE_ENV and auth.environment both to be development', () => {
    expect(isDevelopmentSignIn(config('development'), 'development')).toBe(
      true,
    );
    expect(isDevelopmentSignIn(config('development'), 'production')).toBe(
      false,
    );
    expect(isDevelopmentSignIn(config('development'), 'test')).toBe(false);
    expect(isDevelopmentSignIn(config('development'), undefined)).toBe(false);
    expect(isDevelopmentSignIn(config('production'), 'development')).toBe(
      false,
    );
    // The auth backend defaults a missing auth.environment to development; this does not.
    expect(isDevelopmentSignIn(config(), 'development')).toBe(false);
  });
});
