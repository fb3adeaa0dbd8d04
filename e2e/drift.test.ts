// Publication drift (issue 18) against the running portal and its Kubernetes sandbox: a tenant-a
// user publishes the iris model with a limit of 60 requests a minute per key; an operator raises
// that limit by hand with kubectl (field manager `ops-oncall`). "Check now" on the Endpoint tab
// shows the publication Drifted, with the rate limit field's published and live value and who
// changed it; the Publications tab links the Drifted state to that tab. Reconcile, confirmed in
// its dialog, puts the published limit back: the tab shows the publication in sync and kubectl
// reads 60 again. Screenshots go to .test-output/screenshots.
//
// kubectl talks to the sandbox directly (PORTAL_SANDBOX_URL, default http://127.0.0.1:7443, no
// credentials) through a throwaway kubeconfig; KUBECTL names another binary than `kubectl`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import {
  callApi,
  BACKEND_URL,
  launchBrowser,
  openAs,
  screenshot,
  SCREENSHOT_DIR,
  tokenFor,
} from './lib/portal.ts';

const TIMEOUT = 60_000;
const SANDBOX_URL = process.env.PORTAL_SANDBOX_URL ?? 'http://127.0.0.1:7443';
const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const NAMESPACE = 'tenant-a';
const MODEL = 'sklearn-iris';
const PUBLICATION = `${BACKEND_URL}/api/inference/models/local/${NAMESPACE}/${MODEL}/publication`;
/** The BackendTrafficPolicy the portal publishes the per-key limits in (one rule per limit). */
const POLICY = `${MODEL}-rate-limits`;
const POLICY_RESOURCE = 'backendtrafficpolicies.gateway.envoyproxy.io';
const PUBLISHED_LIMIT = 60;
const RAISED_LIMIT = 6000;
const OPERATOR = 'ops-oncall';

const run = promisify(execFile);

/** kubectl against the sandbox, with a kubeconfig and discovery cache of this test's own. */
function sandboxKubectl(dir: string) {
  const kubeconfig = join(dir, 'kubeconfig.json');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'sandbox',
          cluster: { server: SANDBOX_URL, 'insecure-skip-tls-verify': true },
        },
      ],
      users: [{ name: 'sandbox', user: {} }],
      contexts: [
        { name: 'sandbox', context: { cluster: 'sandbox', user: 'sandbox' } },
      ],
      'current-context': 'sandbox',
    }),
  );
  return async (...args: string[]): Promise<string> => {
    const { stdout } = await run(KUBECTL, [
      '--kubeconfig',
      kubeconfig,
      '--cache-dir',
      join(dir, 'cache'),
      ...args,
    ]);
    return stdout;
  };
}

type Kubectl = ReturnType<typeof sandboxKubectl>;

/** The limits of the live BackendTrafficPolicy, rule by rule (requests per unit). */
async function liveLimits(kubectl: Kubectl) {
  const policy = JSON.parse(
    await kubectl(
      'get',
      POLICY_RESOURCE,
      POLICY,
      '-n',
      NAMESPACE,
      '-o',
      'json',
    ),
  ) as {
    spec: {
      rateLimit: {
        global: {
          rules: Array<{ limit: { requests: number; unit: string } }>;
        };
      };
    };
  };
  return policy.spec.rateLimit.global.rules.map(r => r.limit);
}

const publication = (
  token: string,
  method: 'GET' | 'PUT' | 'DELETE',
  body?: object,
) => callApi(token, method, PUBLICATION.slice(BACKEND_URL.length), body);

/** The cells of the drifted rate limit field's row (field, published, live, changed by). */
async function rateLimitFieldRow(page: Page): Promise<string[]> {
  const fields = page.getByRole('table', {
    name: `Drifted fields of BackendTrafficPolicy ${POLICY}`,
  });
  await fields.waitFor({ timeout: TIMEOUT });
  const row = fields
    .getByRole('row')
    .filter({ hasText: /spec\.rateLimit\.\S*requests/ });
  assert.equal(await row.count(), 1, 'one drifted requests field');
  return (await row.locator('td').allInnerTexts()).map(t => t.trim());
}

describe('publication drift', () => {
  let browser: Browser;
  let token: string;
  let dir: string;
  let kubectl: Kubectl;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'drift-e2e-'));
    kubectl = sandboxKubectl(dir);
    token = await tokenFor('dev-a');
    // Repeatable against a portal that already ran it: start from a fresh publication.
    await publication(token, 'DELETE');
    const published = await publication(token, 'PUT', {
      publicModelName: MODEL,
      auth: { apiKey: true },
      limits: { requestsPerMinute: PUBLISHED_LIMIT },
    });
    assert.equal(published.status, 200, published.text);
    assert.deepEqual((await liveLimits(kubectl))[0], {
      requests: PUBLISHED_LIMIT,
      unit: 'Minute',
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    if (token) await publication(token, 'DELETE');
    if (dir) rmSync(dir, { recursive: true, force: true });
    console.log(`Screenshots: ${SCREENSHOT_DIR}`);
  });

  it('shows a rate limit raised with kubectl as drift, and Reconcile puts it back', async () => {
    await kubectl(
      'patch',
      POLICY_RESOURCE,
      POLICY,
      '-n',
      NAMESPACE,
      '--type',
      'json',
      `--field-manager=${OPERATOR}`,
      '-p',
      JSON.stringify([
        {
          op: 'replace',
          path: '/spec/rateLimit/global/rules/0/limit/requests',
          value: RAISED_LIMIT,
        },
      ]),
    );
    assert.equal((await liveLimits(kubectl))[0].requests, RAISED_LIMIT);

    const page = await openAs(
      browser,
      'dev-a',
      `/catalog/default/component/${MODEL}/endpoint`,
    );
    await page.getByLabel('Endpoint URL').first().waitFor({ timeout: TIMEOUT });
    await page
      .getByRole('button', { name: 'Check now' })
      .click({ timeout: TIMEOUT });
    const warning = page.getByRole('region', {
      name: 'Changed outside the portal',
    });
    await warning.waitFor({ timeout: TIMEOUT });
    await page
      .getByText('Drifted', { exact: true })
      .first()
      .waitFor({ timeout: TIMEOUT });
    assert.match(await warning.innerText(), /Last checked /);
    assert.equal(
      await warning
        .getByRole('listitem', {
          name: `BackendTrafficPolicy ${NAMESPACE}/${POLICY}: Changed`,
        })
        .count(),
      1,
      'the policy is listed as changed',
    );
    const [path, published, live, manager] = await rateLimitFieldRow(page);
    assert.match(path, /^spec\.rateLimit\.\S*requests$/);
    assert.equal(published, String(PUBLISHED_LIMIT));
    assert.equal(live, String(RAISED_LIMIT));
    assert.equal(manager, OPERATOR);
    await screenshot(page, 'drift-1-drifted');

    // The Publications tab says so too, and its Drifted state leads back to the Endpoint tab.
    const list = await openAs(browser, 'dev-a', '/inference/publications');
    const row = list.getByRole('row').filter({ hasText: `/${MODEL}` });
    const drifted = row.getByRole('link', { name: 'Drifted' });
    await drifted.waitFor({ timeout: TIMEOUT });
    await screenshot(list, 'drift-2-publications');
    await drifted.click();
    await list.waitForURL(/\/endpoint$/, { timeout: TIMEOUT });
    await list
      .getByRole('region', { name: 'Changed outside the portal' })
      .waitFor({ timeout: TIMEOUT });
    await list.context().close();

    await warning.getByRole('button', { name: 'Reconcile' }).click();
    const dialog = page.getByRole('dialog');
    await dialog
      .getByRole('listitem', {
        name: `BackendTrafficPolicy ${NAMESPACE}/${POLICY}: Will be changed back`,
      })
      .waitFor({ timeout: TIMEOUT });
    await screenshot(page, 'drift-3-reconcile-confirm');
    await dialog.getByRole('button', { name: 'Reconcile' }).click();
    await dialog.waitFor({ state: 'detached', timeout: TIMEOUT });

    // A fresh check of the reconciled objects finds nothing (Check now is there whether or not
    // the reloaded publication already says so).
    await page.getByRole('button', { name: 'Check now' }).click();
    const status = page.getByRole('status', { name: 'Drift check' });
    await status.getByText(/^In sync, checked /).waitFor({ timeout: TIMEOUT });
    assert.equal(await warning.count(), 0, 'the drift warning is gone');
    await screenshot(page, 'drift-4-reconciled');

    assert.deepEqual((await liveLimits(kubectl))[0], {
      requests: PUBLISHED_LIMIT,
      unit: 'Minute',
    });
    const current = await publication(token, 'GET');
    assert.equal(current.status, 200, current.text);
    assert.notEqual(
      (JSON.parse(current.text) as { state: string }).state,
      'drifted',
    );
    await page.context().close();
  });
});
