import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import {
  inferenceTestConfig,
  InferenceSandbox,
  startInferenceSandbox,
} from '@internal/inference-test-utils';
import { parse, stringify } from 'yaml';
import { TASK_RUN_MARKER, TaskRunEvent } from './taskRunMetrics';

/** A database client (knex), as plugins get it. */
export type Knex = Awaited<ReturnType<DatabaseService['getClient']>>;

/** The connection string scripts/test.sh exports for its throw-away PostgreSQL. */
export const POSTGRES_ENV =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/** packages/backend: the replicas' working directory, as `yarn start` runs the backend. */
const BACKEND_DIR = resolve(__dirname, '../../..');
const REPO_ROOT = resolve(BACKEND_DIR, '../..');
const ENTRY = resolve(__dirname, 'replicaBackend.ts');

/** A scheduled task's run as one replica's scheduler counted it. */
export interface ReplicaTaskRun extends TaskRunEvent {
  replica: number;
}

/** An answer of a replica's REST API. */
export interface ApiAnswer {
  status: number;
  body: any;
}

/** The inference API of one replica, as one signed-in user. */
export interface ReplicaApi {
  get(path: string): Promise<ApiAnswer>;
  post(path: string, body?: unknown): Promise<ApiAnswer>;
  put(path: string, body?: unknown): Promise<ApiAnswer>;
  delete(path: string): Promise<ApiAnswer>;
}

/** One backend process. */
export interface Replica {
  index: number;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  pid: number;
  alive(): boolean;
  /** The inference plugin's REST API (`/api/inference`) as a demo user. */
  api(user: string): ReplicaApi;
  /** Stops the process at once, without any shutdown (`SIGKILL`), and waits until it is gone. */
  kill(): Promise<void>;
  /** Everything it printed so far. */
  output(): string;
}

export interface Replicas {
  replicas: Replica[];
  sandbox: InferenceSandbox;
  /** The sandbox's own log lines so far (e.g. `fault injected: ...`). */
  sandboxLog: string[];
  /** Starts replica `index` again (a new process, as a Deployment restarts a killed pod). */
  restart(index: number): Promise<Replica>;
  /** Every run of a scheduled task any replica started or ended, in the order they were printed. */
  taskRuns(): ReplicaTaskRun[];
  /** A client of the inference plugin's database, the one the replicas share. */
  inferenceDatabase(): Promise<Knex>;
  /** Stops every replica, the sandbox, and drops the replicas' databases. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * The configuration every replica shares: the repository's own development sign-in, catalog and
 * permission settings (app-config.yaml), PostgreSQL (each plugin its own database, as in
 * production, under a prefix of this run), and the inference plugin on the sandbox.
 */
function sharedConfig(
  connection: string,
  prefix: string,
  sandbox: InferenceSandbox,
): JsonObject {
  const app = parse(readFileSync(join(REPO_ROOT, 'app-config.yaml'), 'utf8'));
  return {
    app: { baseUrl: 'http://127.0.0.1:3000' },
    organization: app.organization,
    backend: {
      database: { client: 'pg', connection, prefix },
    },
    auth: app.auth,
    catalog: {
      ...app.catalog,
      // The template needs the scaffolder's entity model, which the replicas do not run.
      locations: app.catalog.locations.filter(
        (l: { target: string }) => !l.target.includes('templates'),
      ),
      // Config merges objects: a test's schedule would be added to this one, not replace it.
      providers: undefined,
    },
    permission: app.permission,
    inference: {
      tenants: app.inference.tenants,
      ...inferenceTestConfig(sandbox, {
        requestTimeoutMs: 10_000,
        maxAttempts: 3,
      }),
      publishing: app.inference.publishing,
      // The tests send more than the per-user caps allow a person.
      rateCaps: {
        mutations: { requests: 10_000, windowSeconds: 60 },
        testInvocations: { requests: 10_000, windowSeconds: 60 },
      },
    },
  };
}

/**
 * Starts `count` portal backends as separate OS processes (./replicaBackend.ts) on free ports,
 * against one PostgreSQL (scripts/test.sh's, from {@link POSTGRES_ENV}) and one Kubernetes sandbox
 * started here. `config` is merged over the shared configuration of every replica (e.g. shorter
 * schedules).
 *
 * Replicas start one after the other: on a fresh database, backends starting at the same moment
 * race on Backstage's migrations and the loser exits ("Migration table is already locked": knex's
 * lib/migrations/migrate/Migrator.js does not wait for a lock another process holds), which a
 * Deployment survives by restarting it but a test would only make slower. A demo user signs in
 * through one replica and calls every replica with that token: the auth backend's signing keys are
 * in the shared database (upstream backstage/backstage plugins/auth-backend/src/identity/KeyStores.ts).
 */
export async function startReplicas(
  options: {
    count?: number;
    config?: JsonObject;
    /** The sandbox's controllers' delay before a model is Ready (default 50 ms). */
    readyDelayMs?: number;
  } = {},
): Promise<Replicas> {
  const connection = process.env[POSTGRES_ENV];
  if (!connection) throw new Error(`${POSTGRES_ENV} is not set`);
  const prefix = `replicas_${randomBytes(4).toString('hex')}_`;
  const sandboxLog: string[] = [];
  const sandbox = await startInferenceSandbox({
    readyDelayMs: options.readyDelayMs,
    gatewayDouble: false,
    logger: line => sandboxLog.push(line),
  });
  const dir = mkdtempSync(join(tmpdir(), 'inference-replicas-'));
  const shared = join(dir, 'shared.yaml');
  writeFileSync(shared, stringify(sharedConfig(connection, prefix, sandbox)));
  const extra = join(dir, 'extra.yaml');
  writeFileSync(extra, stringify(options.config ?? {}));

  const runs: ReplicaTaskRun[] = [];
  const replicas: Replica[] = [];
  const tokens = new Map<string, Promise<string>>();
  const databases: Knex[] = [];

  async function start(index: number): Promise<Replica> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const own = join(dir, `replica-${index}.yaml`);
    writeFileSync(
      own,
      stringify({
        backend: { baseUrl: url, listen: { host: '127.0.0.1', port } },
      }),
    );
    const child: ChildProcess = spawn(
      process.execPath,
      [
        '-r',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        ENTRY,
        ...['--config', shared, '--config', extra, '--config', own],
      ],
      {
        cwd: BACKEND_DIR,
        // Development: the devUsers sign-in (../../auth/devSignIn.ts) and the scheduler's janitor.
        env: { ...process.env, NODE_ENV: 'development', FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    let exited = false;
    const exit = new Promise<void>(done =>
      child.once('exit', () => {
        exited = true;
        done();
      }),
    );
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      const lines = (partial + text).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        const at = line.indexOf(TASK_RUN_MARKER);
        if (at >= 0)
          runs.push({
            ...JSON.parse(line.slice(at + TASK_RUN_MARKER.length)),
            replica: index,
          });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });

    const replica: Replica = {
      index,
      url,
      pid: child.pid!,
      alive: () => !exited,
      api: user => apiOf(url, user),
      async kill() {
        if (!exited) child.kill('SIGKILL');
        await exit;
      },
      output: () => output,
    };

    // Ready: every plugin started (Backstage's readiness endpoint, as the Deployment's probe).
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (exited)
        throw new Error(
          `replica ${index} exited while starting:\n${output.slice(-4000)}`,
        );
      const ready = await fetch(`${url}/.backstage/health/v1/readiness`)
        .then(r => r.ok)
        .catch(() => false);
      if (ready) break;
      if (Date.now() > deadline)
        throw new Error(
          `replica ${index} not ready after 120 s:\n${output.slice(-4000)}`,
        );
      await sleep(250);
    }
    return replica;
  }

  /** Signs a demo user in (development sign-in, `devUsers`) through any live replica, once. */
  function tokenOf(user: string): Promise<string> {
    if (!tokens.has(user)) {
      const signIn = async () => {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const via = replicas.find(r => r.alive());
          if (!via) throw new Error('no replica is running');
          const res = await fetch(
            `${via.url}/api/auth/devUsers/refresh?env=development`,
            {
              headers: {
                'x-dev-user': user,
                'x-requested-with': 'XMLHttpRequest',
              },
            },
          );
          const body = await res.json().catch(() => undefined);
          if (res.ok) return body.backstageIdentity.token as string;
          // Until the catalog has read the org file, the user does not exist yet.
          if (Date.now() > deadline)
            throw new Error(
              `sign-in of ${user}: ${res.status} ${JSON.stringify(body)}`,
            );
          await sleep(500);
        }
      };
      const token = signIn();
      token.catch(() => tokens.delete(user));
      tokens.set(user, token);
    }
    return tokens.get(user)!;
  }

  function apiOf(url: string, user: string): ReplicaApi {
    const call = async (
      method: string,
      path: string,
      body?: unknown,
    ): Promise<ApiAnswer> => {
      const res = await fetch(`${url}/api/inference${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await tokenOf(user)}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON: kept as text.
      }
      return { status: res.status, body: parsed };
    };
    return {
      get: path => call('GET', path),
      post: (path, body) => call('POST', path, body ?? {}),
      put: (path, body) => call('PUT', path, body ?? {}),
      delete: path => call('DELETE', path),
    };
  }

  const stopAll = async () => {
    await Promise.all(
      replicas.map(async r => {
        if (!r.alive()) return;
        process.kill(r.pid, 'SIGTERM');
        for (let waited = 0; r.alive() && waited < 15_000; waited += 100)
          await sleep(100);
        await r.kill();
      }),
    );
  };

  const manager = DatabaseManager.fromConfig(
    new ConfigReader({
      backend: { database: { client: 'pg', connection, prefix } },
    }),
  );

  const stop = async () => {
    await stopAll();
    await Promise.all(databases.map(d => d.destroy()));
    await sandbox.close();
    await dropDatabases(connection, prefix);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    for (let i = 0; i < (options.count ?? 2); i++) {
      replicas.push(await start(i));
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    replicas,
    sandbox,
    sandboxLog,
    async restart(index) {
      if (replicas[index].alive())
        throw new Error(`replica ${index} is running`);
      replicas[index] = await start(index);
      return replicas[index];
    },
    taskRuns: () => [...runs],
    async inferenceDatabase() {
      const knex = await manager
        .forPlugin('inference', {
          logger: mockServices.logger.mock(),
          lifecycle: mockServices.lifecycle.mock(),
        })
        .getClient();
      databases.push(knex);
      return knex;
    },
    stop,
  };
}

/** Drops every database of one run (`<prefix><pluginId>`), from the server's `postgres` database. */
async function dropDatabases(connection: string, prefix: string) {
  const manager = DatabaseManager.fromConfig(
    new ConfigReader({
      backend: {
        database: {
          client: 'pg',
          connection,
          // The server's own database: nothing of this run lives there.
          plugin: { admin: { connection: { database: 'postgres' } } },
        },
      },
    }),
  );
  const admin = await manager
    .forPlugin('admin', {
      logger: mockServices.logger.mock(),
      lifecycle: mockServices.lifecycle.mock(),
    })
    .getClient();
  try {
    const { rows } = await admin.raw(
      'SELECT datname FROM pg_database WHERE datname LIKE ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows as { datname: string }[]) {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    }
  } finally {
    await admin.destroy();
  }
}
