// Rolling out a new version of a model from its catalog page, in headless Chromium against the
// running portal and the Kubernetes sandbox (whose simulated KServe and Knative controllers make
// the revisions and split the traffic). A tenant-a user creates a Knative-mode iris model through
// the API, then on its Rollout tab rolls a new storage URI out at 20 %: the review lists the
// InferenceService update, and after Apply the tab shows both revisions at 80/20. Promote, reviewed
// and applied, leaves the new revision alone at 100 %. In between, the model is published and
// predictions go through the gateway double, which counts them as each revision's Istio sidecar
// would; once the portal's Prometheus scraped them, the table shows each version's requests.
// Screenshots go to .test-output/screenshots/rollout-*.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import {
  callApi,
  eventually,
  getJson,
  launchBrowser,
  openAs,
  screenshot,
  SCREENSHOT_DIR,
  tokenFor,
} from './lib/portal.ts';

const TIMEOUT = 60_000;
const NAMESPACE = 'tenant-a';
const V1 = 'gs://kfserving-examples/models/sklearn/1.0/model';
const V2 = 'gs://kfserving-examples/models/sklearn/1.1/model';
const MODEL = `rollout-${Date.now().toString(36)}`;
const MODEL_PATH = `/api/inference/models/local/${NAMESPACE}/${MODEL}`;
const REVISION_1 = `${MODEL}-predictor-00001`;
const REVISION_2 = `${MODEL}-predictor-00002`;
/** The gateway double of the development portal (app-config.yaml `inference.gateway.invokeBaseUrl`). */
const GATEWAY_URL = process.env.PORTAL_GATEWAY_URL ?? 'http://127.0.0.1:7480';
const PREDICTIONS = 40;

interface RolloutStatus {
  phase: string;
  stable?: { revision: string; percent: number; ready: boolean };
  candidate?: { revision: string; percent: number; ready: boolean };
}

/**
 * The versions table as shown: per row the version (Stable, New or Current), revision, share and
 * readiness. Read until it equals `expected` or the time is up, and returned as last read.
 */
async function versionsUntil(
  page: Page,
  expected: string[][],
): Promise<string[][]> {
  const table = page.getByRole('table', { name: 'Versions' });
  const read = async () => {
    const rows = await table.getByRole('row').all();
    const cells = await Promise.all(
      rows.slice(1).map(row => row.locator('td').allInnerTexts()),
    );
    return cells.map(row => row.slice(0, 4).map(text => text.trim()));
  };
  const deadline = Date.now() + TIMEOUT;
  let last: string[][] = [];
  while (Date.now() < deadline) {
    last = await read().catch(() => []);
    if (JSON.stringify(last) === JSON.stringify(expected)) break;
    await page.waitForTimeout(500);
  }
  return last;
}

/**
 * One KServe v1 prediction through the gateway double to the published `endpoint`, with the
 * publication's hostname as Host (which fetch does not let a caller set); answers the status.
 */
function predict(endpoint: string, apiKey: string): Promise<number> {
  const url = new URL(endpoint);
  const target = new URL(
    `${url.pathname}/v1/models/${MODEL}:predict`,
    GATEWAY_URL,
  );
  const body = JSON.stringify({ instances: [[6.8, 2.8, 4.8, 1.4]] });
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: {
          host: url.hostname,
          'content-type': 'application/json',
          'x-api-key': apiKey,
        },
      },
      res => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The Requests column of each row of the versions table (the 5th cell), as numbers. */
async function requestsShown(page: Page): Promise<number[]> {
  const rows = await page
    .getByRole('table', { name: 'Versions' })
    .getByRole('row')
    .all();
  const cells = await Promise.all(
    rows.slice(1).map(row => row.locator('td').nth(4).innerText()),
  );
  return cells.map(text => Number(text.trim()));
}

/** Waits until the button can be clicked (the permission answer has arrived). */
async function enabled(page: Page, name: string) {
  const button = page.getByRole('button', { name, exact: true });
  await button.waitFor({ timeout: TIMEOUT });
  const deadline = Date.now() + TIMEOUT;
  while (!(await button.isEnabled()) && Date.now() < deadline) {
    await page.waitForTimeout(250);
  }
  assert.ok(await button.isEnabled(), `${name} is enabled`);
  return button;
}

/** Waits for running transitions (a dialog fading in) to end, so a screenshot shows the result. */
const stillFrame = (page: Page) =>
  page.waitForFunction(() =>
    document.getAnimations().every(a => a.playState !== 'running'),
  );

const phase = (page: Page) =>
  page.getByRole('status', { name: 'Rollout phase' });

describe('rolling out a new version', () => {
  let browser: Browser;
  let token: string;

  before(async () => {
    token = await tokenFor('dev-a');
    const created = await callApi(token, 'POST', '/api/inference/models', {
      namespace: NAMESPACE,
      spec: {
        name: MODEL,
        framework: 'sklearn',
        storageUri: V1,
        deploymentMode: 'Knative',
      },
    });
    assert.equal(created.status, 201, created.text);
    const model = await eventually(
      () => getJson<{ status?: { ready?: boolean } }>(MODEL_PATH, token),
      m => m.status?.ready === true,
    );
    assert.equal(model.status?.ready, true, `${MODEL} became Ready`);
    const rollout = await eventually(
      () => getJson<RolloutStatus>(`${MODEL_PATH}/rollout`, token),
      r => r.phase === 'stable' && r.stable?.percent === 100,
    );
    assert.equal(rollout.stable?.revision, REVISION_1, JSON.stringify(rollout));
    // The catalog's entity provider picks the new InferenceService up.
    const entity = await eventually(
      () =>
        callApi(
          token,
          'GET',
          `/api/catalog/entities/by-name/component/default/${MODEL}`,
        ),
      answer => answer.status === 200,
    );
    assert.equal(entity.status, 200, `${MODEL} is in the catalog`);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    // Leaves the portal as it was: the publication, then the model (and so its entity) go.
    if (token) await callApi(token, 'DELETE', `${MODEL_PATH}/publication`);
    if (token) await callApi(token, 'DELETE', MODEL_PATH);
    console.log(`Screenshots: ${SCREENSHOT_DIR}`);
  });

  it('rolls a new storage URI out at 20 %, sees 80/20, promotes it to 100 %', async () => {
    const page = await openAs(
      browser,
      'dev-a',
      `/catalog/default/component/${MODEL}`,
    );
    await page
      .getByRole('link', { name: 'Rollout', exact: true })
      .click({ timeout: TIMEOUT });
    await page.waitForURL(new RegExp(`/component/${MODEL}/rollout$`));
    await phase(page).getByText('Stable').waitFor({ timeout: TIMEOUT });
    assert.deepEqual(
      await versionsUntil(page, [['Current', REVISION_1, '100 %', 'Ready']]),
      [['Current', REVISION_1, '100 %', 'Ready']],
    );
    const rollOut = await enabled(page, 'Roll out a new version');
    await screenshot(page, 'rollout-1-stable');

    // Roll out: the new storage URI at 20 %, reviewed from the dry run, then applied.
    await rollOut.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Storage URI').fill(V2);
    await dialog.getByLabel('Initial share of traffic (%)').fill('20');
    await stillFrame(page);
    await screenshot(page, 'rollout-2-form');
    await dialog.getByRole('button', { name: 'Review' }).click();
    const update = dialog.getByRole('listitem', {
      name: `InferenceService ${NAMESPACE}/${MODEL}: Will change`,
    });
    await update.waitFor({ timeout: TIMEOUT });
    const fields = await update.getByRole('row').allInnerTexts();
    assert.ok(
      fields.some(f => f.includes('storageUri') && f.includes(V2)),
      `the review lists the new storage URI: ${fields.join(' | ')}`,
    );
    assert.ok(
      fields.some(f => f.includes('canaryTrafficPercent') && f.includes('20')),
      `the review lists the 20 % share: ${fields.join(' | ')}`,
    );
    await stillFrame(page);
    await screenshot(page, 'rollout-3-review');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'detached', timeout: TIMEOUT });

    // The simulated controllers make the second revision and split the traffic.
    const canary = [
      ['Stable', REVISION_1, '80 %', 'Ready'],
      ['New', REVISION_2, '20 %', 'Ready'],
    ];
    const shown = await versionsUntil(page, canary);
    await screenshot(page, 'rollout-4-canary');
    assert.deepEqual(shown, canary);
    assert.match(await phase(page).innerText(), /Canary/);

    // Each side's figures: publish with a key, predict through the gateway double until routed
    // (404s never reach a model), then wait for Prometheus to have scraped the counts.
    const published = await callApi(token, 'PUT', `${MODEL_PATH}/publication`, {
      publicModelName: MODEL,
      auth: { apiKey: true },
      limits: {},
    });
    assert.equal(published.status, 200, published.text);
    const key = await callApi(token, 'POST', `${MODEL_PATH}/publication/keys`, {
      name: 'rollout-figures',
    });
    assert.equal(key.status, 201, key.text);
    const apiKey = (JSON.parse(key.text) as { key: string }).key;
    const { endpoint } = await getJson<{ endpoint: string }>(
      `${MODEL_PATH}/publication`,
      token,
    );
    let answered = 0;
    const first = await eventually(
      () => predict(endpoint, apiKey),
      status => status === 200,
      30_000,
    );
    assert.equal(first, 200, 'the gateway routes the published model');
    answered++;
    for (let i = 1; i < PREDICTIONS; i++) {
      assert.equal(await predict(endpoint, apiKey), 200);
      answered++;
    }
    let counted: number[] = [];
    const deadline = Date.now() + TIMEOUT;
    while (Date.now() < deadline) {
      counted = await requestsShown(page).catch(() => []);
      if (counted.length === 2 && counted[0] + counted[1] === answered) break;
      await page.waitForTimeout(1_000);
    }
    await screenshot(page, 'rollout-4b-figures');
    assert.equal(counted.length, 2, `two versions with figures: ${counted}`);
    assert.equal(counted[0] + counted[1], answered, `figures: ${counted}`);
    assert.ok(
      counted[0] > 0 && counted[1] > 0,
      `both sides answered some of ${answered}: ${counted}`,
    );

    // Promote: reviewed, applied, then the new revision takes all traffic.
    await (await enabled(page, 'Promote')).click();
    await dialog
      .getByText(`All traffic goes to the new version, ${REVISION_2}.`, {
        exact: false,
      })
      .waitFor({ timeout: TIMEOUT });
    await update.waitFor({ timeout: TIMEOUT });
    await stillFrame(page);
    await screenshot(page, 'rollout-5-promote-review');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'detached', timeout: TIMEOUT });

    const promoted = [['Current', REVISION_2, '100 %', 'Ready']];
    const final = await versionsUntil(page, promoted);
    await screenshot(page, 'rollout-6-promoted');
    assert.deepEqual(final, promoted);
    assert.match(await phase(page).innerText(), /Stable/);

    const rollout = await getJson<RolloutStatus>(
      `${MODEL_PATH}/rollout`,
      token,
    );
    assert.equal(rollout.phase, 'stable');
    assert.deepEqual(
      { revision: rollout.stable?.revision, percent: rollout.stable?.percent },
      { revision: REVISION_2, percent: 100 },
    );
    await page.context().close();
  });
});
