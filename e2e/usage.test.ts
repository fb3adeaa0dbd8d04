// Usage from Prometheus on the model page and the admin overview. A tenant-a user publishes the
// LLM with a limit of 5 requests a minute per key, creates two keys and sends 30 chat requests
// through the gateway double with them, so that some are refused with 429. Once Prometheus has
// scraped the gateway's metrics, the Usage tab shows, per key, the requests the model answered and
// their tokens and 429s, and for the model the 429s and 401s, exactly as sent. Then, with the dev Prometheus stopped
// (SIGSTOP), the Usage tab shows that Prometheus did not answer while the Endpoint tab still works.
// Screenshots of the Usage tab and the admin overview go to .test-output/screenshots.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  callApi,
  eventually,
  launchBrowser,
  openAs,
  screenshot,
  SCREENSHOT_DIR,
  tokenFor,
  untilRouted,
} from './lib/portal.ts';

const TIMEOUT = 60_000;
const MODEL = '/api/inference/models/local/tenant-a/qwen-chat';
const LIMIT = 5;
const REQUESTS = 30;
const KEYS = ['usage-a', 'usage-b'];
const CHAT = {
  messages: [{ role: 'user', content: 'How many tokens does this take?' }],
};

/** The parts of the usage API's answer (plugins/inference-common/src/api/usage.ts) read here. */
interface RequestCounts {
  total: number;
  byStatusClass: Record<string, number>;
  unauthorized?: number;
  rateLimited: number;
}
interface TokenCounts {
  input: number;
  output: number;
  total: number;
}
interface ModelUsage {
  requests: RequestCounts;
  tokens?: TokenCounts;
  keys: Array<{
    keyId: string;
    name?: string;
    requests: RequestCounts;
    tokens?: TokenCounts;
  }>;
  unavailable?: Array<{ figure: string; reason: string }>;
}

/** What was sent with one key, as the gateway answered it. */
interface Sent {
  keyId: string;
  /** Requests the model answered (every status but the gateway's 429). */
  answered: number;
  ok: number;
  rateLimited: number;
  input: number;
  output: number;
}

async function call<T>(
  token: string,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  path: string,
  body?: object,
  allowed: number[] = [],
): Promise<{ status: number; body: T }> {
  const { status, text } = await callApi(
    token,
    method,
    `${MODEL}${path}`,
    body,
  );
  if (status >= 400 && !allowed.includes(status)) {
    throw new Error(`${method} ${path}: ${status} ${text}`);
  }
  return { status, body: text ? JSON.parse(text) : {} };
}

const usageOf = async (token: string) =>
  (await call<ModelUsage>(token, 'GET', '/usage?window=1h')).body;

/** Rate limit windows follow the clock: send the burst away from the end of a minute. */
async function awayFromMinuteEnd() {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 20_000) await new Promise(r => setTimeout(r, left + 100));
}

/** `1,234` -> 1234 */
const num = (text: string) => Number(text.trim().replace(/,/g, ''));

/** The texts of a key's row on the Usage tab, cell by cell. */
async function keyRow(page: Page, name: string): Promise<string[]> {
  const row = page.getByRole('row', { name: `Key ${name}`, exact: true });
  await row.waitFor({ timeout: TIMEOUT });
  return row.locator('td').allInnerTexts();
}

/** The large number of a summary figure on the Usage tab. */
async function figure(page: Page, name: string): Promise<string> {
  return (
    await page
      .getByRole('group', { name, exact: true })
      .locator('p')
      .first()
      .innerText()
  ).trim();
}

/** The Prometheus the portal reads usage from (app-config.yaml, inference.usage.prometheusUrl). */
const PROMETHEUS_URL = new URL(
  process.env.E2E_PROMETHEUS_URL ?? 'http://127.0.0.1:9090',
);

/**
 * The dev Prometheus that scripts/start.sh runs: the `prometheus` process listening on the port of
 * PROMETHEUS_URL. Undefined when there is none (a portal started without it).
 */
function devPrometheusPid(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
        .split('\0')
        .filter(Boolean);
    } catch {
      continue; // gone meanwhile
    }
    if (
      argv.length > 0 &&
      basename(argv[0]) === 'prometheus' &&
      argv.some(
        a =>
          a.startsWith('--web.listen-address') &&
          a.endsWith(`:${PROMETHEUS_URL.port}`),
      )
    ) {
      return Number(entry);
    }
  }
  return undefined;
}

describe('usage from Prometheus', () => {
  let browser: Browser;
  let token: string;
  const sent = new Map<string, Sent>();
  let rateLimited = 0;
  let baseline: ModelUsage;

  before(async () => {
    token = await tokenFor('dev-a');
    await call(token, 'DELETE', '/publication', undefined, [404]);
    await call(token, 'PUT', '/publication', {
      publicModelName: 'qwen-chat',
      auth: { apiKey: true },
      limits: { requestsPerMinute: LIMIT },
    });
    for (const name of KEYS) {
      const { body } = await call<{ id: string }>(
        token,
        'POST',
        '/publication/keys',
        { name },
      );
      sent.set(name, {
        keyId: body.id,
        answered: 0,
        ok: 0,
        rateLimited: 0,
        input: 0,
        output: 0,
      });
    }
    // Polls without a key (401 once routed), so the keys' budgets stay whole.
    await untilRouted('dev-a', 'tenant-a/qwen-chat', {
      protocol: 'openai-chat',
      withoutApiKey: true,
      body: CHAT,
    });
    // The model's figures before the burst (earlier tests may have used it), once two reads a
    // scrape apart agree.
    let previous = await usageOf(token);
    baseline = await eventually(
      async () => {
        await new Promise(r => setTimeout(r, 5000));
        const [last, current] = [previous, await usageOf(token)];
        previous = current;
        return { last, current };
      },
      ({ last, current }) =>
        JSON.stringify(last.requests) === JSON.stringify(current.requests),
      30_000,
    ).then(({ current }) => current);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await call(token, 'DELETE', '/publication', undefined, [404]);
  });

  it('shows per key the requests, 429s and tokens sent through the gateway', async () => {
    await awayFromMinuteEnd();
    for (let i = 0; i < REQUESTS; i++) {
      const name = KEYS[i % KEYS.length];
      const key = sent.get(name)!;
      const { body } = await call<{
        status: number;
        usage?: { promptTokens?: number; completionTokens?: number };
      }>(token, 'POST', '/test', {
        protocol: 'openai-chat',
        target: 'gateway',
        body: CHAT,
        apiKeyId: key.keyId,
      });
      if (body.status === 429) {
        key.rateLimited++;
        rateLimited++;
        continue;
      }
      key.answered++;
      if (body.status >= 200 && body.status < 300) {
        key.ok++;
        key.input += body.usage?.promptTokens ?? 0;
        key.output += body.usage?.completionTokens ?? 0;
      }
    }
    for (const [name, key] of sent) {
      assert.equal(key.answered + key.rateLimited, REQUESTS / KEYS.length);
      assert.ok(key.rateLimited > 0, `some of ${name}'s requests got 429`);
      assert.ok(key.input > 0 && key.output > 0, `${name} used tokens`);
    }

    // Prometheus scrapes the gateway every few seconds: wait until the figures are in.
    const matches = (usage: ModelUsage) =>
      usage.requests.rateLimited - baseline.requests.rateLimited ===
        rateLimited &&
      [...sent.values()].every(key => {
        const got = usage.keys.find(k => k.keyId === key.keyId);
        return (
          got?.requests.total === key.answered &&
          // The keys are new: their 429s (the gateway's access log counter) are all from here.
          got.requests.rateLimited === key.rateLimited &&
          got.tokens?.input === key.input &&
          got.tokens?.output === key.output
        );
      });
    const usage = await eventually(() => usageOf(token), matches, 90_000);
    assert.ok(
      matches(usage),
      `the usage API reports what was sent: sent ${JSON.stringify([
        ...sent,
      ])} and ${rateLimited} 429s after ${
        baseline.requests.rateLimited
      }; got ${JSON.stringify(usage)}`,
    );
    assert.deepEqual(
      (usage.unavailable ?? []).map(u => u.figure),
      [],
      'nothing is unavailable: the 401s and per-key 429s come from the access log',
    );
    // The keyless polls until the route was served were answered 401.
    assert.ok(
      (usage.requests.unauthorized ?? 0) >= 1,
      `the model's 401s are counted: ${JSON.stringify(usage.requests)}`,
    );

    const page = await openAs(
      browser,
      'dev-a',
      '/catalog/default/component/qwen-chat/usage',
    );
    await page
      .getByRole('button', { name: 'Last 1 h' })
      .click({ timeout: TIMEOUT });
    await page
      .getByRole('heading', { name: 'Usage in the last hour' })
      .waitFor({ timeout: TIMEOUT });
    await page
      .getByRole('group', { name: 'Requests', exact: true })
      .waitFor({ timeout: TIMEOUT });
    assert.equal(
      num(await figure(page, '429')),
      usage.requests.rateLimited,
      "the model's 429s",
    );
    assert.equal(
      num(await figure(page, '401')),
      usage.requests.unauthorized,
      "the model's 401s",
    );
    assert.equal(
      num(await figure(page, 'Total tokens')),
      usage.tokens?.total,
      "the model's tokens",
    );
    for (const [name, key] of sent) {
      // Key, Requests, 2xx, Errors, 429, Tokens in, Tokens out, Tokens total, Headroom
      const cells = await keyRow(page, name);
      assert.equal(num(cells[1]), key.answered, `${name}: requests answered`);
      assert.equal(num(cells[2]), key.ok, `${name}: 2xx`);
      assert.equal(
        cells[4].trim(),
        String(key.rateLimited),
        `${name}: 429s, as sent`,
      );
      assert.equal(num(cells[5]), key.input, `${name}: input tokens`);
      assert.equal(num(cells[6]), key.output, `${name}: output tokens`);
      assert.equal(
        num(cells[7]),
        key.input + key.output,
        `${name}: total tokens`,
      );
      const headroom = page.getByRole('progressbar', {
        name: `${name}: Requests per minute`,
      });
      assert.match(
        (await headroom.getAttribute('aria-valuetext')) ?? '',
        new RegExp(`^\\d+ / ${LIMIT} \\(\\d+%\\)`),
      );
    }
    await page
      .getByRole('figure', { name: 'Requests over time' })
      .locator('.recharts-surface')
      .first()
      .waitFor({ timeout: TIMEOUT });
    await screenshot(page, 'usage-tab');
    // The tab alone, for the README (docs/images/usage-tab.png).
    await page
      .getByRole('region', { name: 'Model usage' })
      .screenshot({ path: join(SCREENSHOT_DIR, 'usage-tab-content.png') });
    await page.context().close();

    const admin = await openAs(
      browser,
      'platform-admin',
      '/inference/platform',
    );
    const overview = admin.getByRole('region', { name: 'Usage by tenant' });
    await overview
      .getByRole('row', { name: 'Tenant tenant-a' })
      .waitFor({ timeout: TIMEOUT });
    await overview
      .getByRole('row', { name: 'Model local/tenant-a/qwen-chat' })
      .waitFor({ timeout: TIMEOUT });
    await screenshot(admin, 'usage-admin-overview');
    await admin.context().close();
  });

  it('says Prometheus did not answer while it is stopped, and the Endpoint tab still works', async t => {
    const pid = devPrometheusPid();
    if (pid === undefined) {
      t.skip('no dev Prometheus of this repository is running');
      return;
    }
    // Stopped, not ended: it resumes where it was, with its data, when the test is done.
    const resume = () => {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // already gone
      }
    };
    process.once('exit', resume);
    process.kill(pid, 'SIGSTOP');
    try {
      const page = await openAs(
        browser,
        'dev-a',
        '/catalog/default/component/qwen-chat/usage',
      );
      const alert = page.getByRole('alert').filter({
        hasText: 'Usage is unavailable: Prometheus did not answer',
      });
      await alert.waitFor({ timeout: TIMEOUT });
      assert.match(await alert.innerText(), /503/);
      await screenshot(page, 'usage-prometheus-stopped');

      await page.getByRole('link', { name: 'Endpoint', exact: true }).click();
      const endpoint = page.getByLabel('Endpoint URL').first();
      await endpoint.waitFor({ timeout: TIMEOUT });
      assert.match(await endpoint.innerText(), /qwen-chat/);
      await page.context().close();
    } finally {
      resume();
      process.removeListener('exit', resume);
    }
  });
});
