/* eslint-disable jest/no-export -- a helper module: describeWithPrometheus declares tests for the files that call it */
import { spawn, ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { parse, stringify } from 'yaml';

/**
 * A real Prometheus (Debian's package, as scripts/start.sh runs it) for the usage tests, with the
 * development config (configs/observability/prometheus.dev.yaml) pointed at a gateway double's
 * metrics port and a shorter scrape interval, its storage in a temporary directory.
 */

/** Where Debian installs it; `PROMETHEUS_BIN` overrides. */
export const PROMETHEUS_BIN =
  process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export const prometheusInstalled = () => existsSync(PROMETHEUS_BIN);

/**
 * `describe` for tests against a real Prometheus: skipped (with a warning) where it is not
 * installed, and a failure instead where the test script requires it (INFERENCE_REQUIRE_PROMETHEUS).
 */
export function describeWithPrometheus(name: string, tests: () => void) {
  const installed = prometheusInstalled();
  const required = Boolean(process.env.INFERENCE_REQUIRE_PROMETHEUS);
  it(`${name}: runs against a real Prometheus when the test script requires it`, () => {
    if (!installed && !required) {
      // eslint-disable-next-line no-console
      console.warn(
        `Skipping ${name}: ${PROMETHEUS_BIN} is not installed (apt-get install prometheus, or set PROMETHEUS_BIN); scripts/test.sh installs it and sets INFERENCE_REQUIRE_PROMETHEUS`,
      );
    }
    expect({ required, installed }).not.toEqual({
      required: true,
      installed: false,
    });
  });
  (installed ? describe : describe.skip)(name, tests);
}

const DEV_CONFIG = resolvePackagePath(
  '@inference-in-a-box/backstage-plugin-inference-backend',
  '../../configs/observability/prometheus.dev.yaml',
);

/** A free loopback port (taken and released: a race that is fine for tests). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** The development scrape config with every target replaced and the interval set. */
export function prometheusConfig(
  metricsAddress: string,
  scrapeIntervalSeconds: number,
): Record<string, any> {
  const config = parse(readFileSync(DEV_CONFIG, 'utf8'));
  const interval = `${scrapeIntervalSeconds}s`;
  config.global = {
    ...config.global,
    scrape_interval: interval,
    scrape_timeout: interval,
    evaluation_interval: interval,
  };
  for (const job of config.scrape_configs)
    for (const target of job.static_configs)
      target.targets = target.targets.map(() => metricsAddress);
  return config;
}

export interface TestPrometheus {
  url: string;
  /** Resolves once every target was scraped, successfully, after `afterMs` (default: now). */
  scrapedAfter(afterMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrometheus(options: {
  port: number;
  /** The gateway double's `metricsUrl`. */
  metricsUrl: string;
  scrapeIntervalSeconds?: number;
}): Promise<TestPrometheus> {
  const interval = options.scrapeIntervalSeconds ?? 1;
  const dir = mkdtempSync(path.join(tmpdir(), 'inference-prometheus-'));
  const configFile = path.join(dir, 'prometheus.yaml');
  writeFileSync(
    configFile,
    stringify(prometheusConfig(new URL(options.metricsUrl).host, interval)),
  );
  const url = `http://127.0.0.1:${options.port}`;
  let output = '';
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      '--storage.tsdb.retention.time=1d',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', chunk => {
    output += chunk;
  });
  child.stderr!.on('data', chunk => {
    output += chunk;
  });
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }

  for (let started = Date.now(); ; ) {
    if (child.exitCode !== null)
      throw new Error(`prometheus exited during start-up:\n${output}`);
    const ready = await fetch(`${url}/-/ready`).then(
      r => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() - started > 20_000) {
      await stop();
      throw new Error(`prometheus did not become ready:\n${output}`);
    }
    await new Promise(r => setTimeout(r, 100));
  }

  return {
    url,
    async scrapedAfter(afterMs = Date.now()) {
      for (let started = Date.now(); Date.now() - started < 20_000; ) {
        const body = await fetch(`${url}/api/v1/targets?state=active`).then(r =>
          r.json(),
        );
        const targets: Array<{ lastScrape: string; health: string }> =
          body.data.activeTargets;
        if (
          targets.length > 0 &&
          targets.every(
            t => t.health === 'up' && Date.parse(t.lastScrape) > afterMs,
          )
        )
          return;
        await new Promise(r => setTimeout(r, 200));
      }
      throw new Error('prometheus did not scrape the gateway double in 20 s');
    },
    stop,
  };
}
