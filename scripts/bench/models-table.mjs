// Benchmark (not a test): the Inference page's models table with 5,000 model entities in the
// catalog, in headless Chromium against the production build of the app served by the backend.
// Prints time to first row and time to apply a filter, next to the same measurement of the
// Backstage catalog table (the baseline) with the same entities, in the same run.
// Run: bash scripts/bench/models-table.sh
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
const COUNT = Number(process.env.BENCH_MODELS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PORT = 7007;
const base = `http://localhost:${PORT}`;
const dir = mkdtempSync(join(tmpdir(), 'models-table-'));
const children = [];
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function log(message) {
  console.log(`==> ${message}`);
}

function start(command, args, options = {}) {
  // Output goes to a file: the backend's dev runner stalls when its output is a pipe.
  const out = openSync(join(dir, `${children.length}.log`), 'a');
  const child = spawn(command, args, {
    cwd: ROOT,
    stdio: ['ignore', out, out],
    detached: true,
    ...options,
  });
  children.push(child);
  return child;
}

async function until(check, what, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 1000));
  }
}

function writeCatalog() {
  const tenants = ['tenant-a', 'tenant-b', 'tenant-c'];
  const frameworks = ['sklearn', 'xgboost', 'pytorch', 'onnx', 'huggingface'];
  const docs = [];
  for (let i = 0; i < COUNT; i++) {
    const tenant = tenants[i % 3];
    const framework = frameworks[i % frameworks.length];
    const name = `bench-model-${String(i).padStart(5, '0')}`;
    docs.push(`apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    inference.platform.io/namespace: ${tenant}
    inference.platform.io/inference-service: ${name}
    inference.platform.io/cluster: local
    inference.platform.io/framework: ${framework}
    inference.platform.io/model-type: ${
      framework === 'huggingface' ? 'openai' : 'predictive'
    }
spec:
  type: model
  lifecycle: experimental
  owner: group:default/${tenant}
  system: inference-platform
`);
  }
  const file = join(dir, 'models.yaml');
  writeFileSync(file, docs.join('---\n'));
  const config = join(dir, 'bench-config.yaml');
  writeFileSync(
    config,
    // Config arrays replace rather than merge: the portal's own catalog files are listed again.
    `app:\n  baseUrl: ${base}\nbackend:\n  baseUrl: ${base}\n  cors:\n    origin: ${base}\ncatalog:\n  locations:\n${[
      'system.yaml',
      'org.yaml',
      'models.yaml',
    ]
      .map(f => `    - type: file\n      target: ${join(ROOT, 'catalog', f)}\n`)
      .join('')}    - type: file\n      target: ${file}\n`,
  );
  return config;
}

async function tokenFor(user) {
  const r = await fetch(`${base}/api/auth/devUsers/refresh?env=development`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest', 'x-dev-user': user },
  });
  return (await r.json()).backstageIdentity?.token;
}

/** Milliseconds from navigation until `selector` is visible. */
async function timeToSelector(browser, url, selector) {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
  });
  const page = await context.newPage();
  // Sign in once per context (the dev sign-in page remembers the user), outside the measurement.
  await page.goto(`${base}/?as=platform-admin`);
  await page.waitForSelector('nav[aria-label="sidebar nav"]', {
    state: 'attached',
    timeout: 120_000,
  });
  const started = Date.now();
  await page.goto(url);
  await page.waitForSelector(selector, { timeout: 120_000 });
  const elapsed = Date.now() - started;
  return { page, context, elapsed };
}

async function main() {
  const config = writeCatalog();
  if (!existsSync(join(ROOT, 'packages/app/dist/index.html'))) {
    log('Building the app (production bundle)');
    execFileSync(
      'node',
      [
        join(ROOT, '.yarn/releases/yarn-4.13.0.cjs'),
        'workspace',
        'app',
        'build',
      ],
      { cwd: ROOT, stdio: 'inherit' },
    );
  }
  log(
    `Starting the Kubernetes sandbox and the backend (serving the built app; logs in ${dir})`,
  );
  start('node', [
    'packages/kube-sandbox/bin/kube-sandbox',
    '--port',
    '7443',
    '--model-port',
    '7444',
    '--seed',
    'configs/tenants',
    '--seed',
    'configs/models',
  ]);
  start(
    'node',
    [
      join(ROOT, '.yarn/releases/yarn-4.13.0.cjs'),
      'workspace',
      'backend',
      'start',
      '--config',
      '../../app-config.yaml',
      '--config',
      config,
    ],
    {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        NODE_OPTIONS: '--max-old-space-size=4096',
      },
    },
  );
  let token;
  await until(async () => {
    token = await tokenFor('platform-admin');
    return Boolean(token);
  }, 'the backend');
  log(`Waiting for the catalog to ingest ${COUNT} model entities`);
  await until(
    async () => {
      const r = await fetch(
        `${base}/api/catalog/entities/by-query?filter=spec.type=model&limit=1`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      return (await r.json()).totalItems >= COUNT;
    },
    'catalog ingestion',
    900_000,
  );

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const results = {
    inferenceFirstRow: [],
    inferenceFilter: [],
    catalogFirstRow: [],
  };
  for (let i = 0; i < RUNS; i++) {
    const inference = await timeToSelector(
      browser,
      `${base}/inference/models`,
      'table[aria-label="Models"] tbody tr a',
    );
    results.inferenceFirstRow.push(inference.elapsed);
    const search = inference.page.getByLabel('Search models');
    const filterStarted = Date.now();
    await search.fill('bench-model-04999');
    await inference.page.waitForFunction(
      () => {
        const rows = document.querySelectorAll(
          'table[aria-label="Models"] tbody tr',
        );
        return (
          rows.length === 1 && rows[0].textContent.includes('bench-model-04999')
        );
      },
      undefined,
      { timeout: 60_000 },
    );
    results.inferenceFilter.push(Date.now() - filterStarted);
    await inference.context.close();

    const catalog = await timeToSelector(
      browser,
      `${base}/catalog?filters%5Bkind%5D=component&filters%5Btype%5D=model&filters%5Buser%5D=all`,
      'table tbody tr a[href*="/catalog/default/component/"]',
    );
    results.catalogFirstRow.push(catalog.elapsed);
    await catalog.context.close();
  }
  await browser.close();

  console.log(
    `\nModels table with ${COUNT} model entities (${RUNS} runs, medians; production app bundle, headless Chromium)\n`,
  );
  console.log(
    `  Inference page: time to first row      ${median(
      results.inferenceFirstRow,
    )} ms  (target < 1000 ms)`,
  );
  console.log(
    `  Inference page: time to apply a filter ${median(
      results.inferenceFilter,
    )} ms  (target < 1000 ms)`,
  );
  console.log(
    `  Baseline, Backstage catalog table: time to first row ${median(
      results.catalogFirstRow,
    )} ms`,
  );
  console.log(
    `  Ratio Inference / catalog first row    ${(
      median(results.inferenceFirstRow) / median(results.catalogFirstRow)
    ).toFixed(2)}`,
  );
}

function stopAll() {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

main().then(
  () => {
    stopAll();
    process.exit(0);
  },
  error => {
    console.error(error);
    stopAll();
    process.exit(1);
  },
);
