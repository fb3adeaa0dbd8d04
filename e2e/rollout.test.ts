// Rolling out a new version of a model from its catalog page, in headless Chromium against the
// running portal and the Kubernetes sandbox (whose simulated KServe and Knative controllers make
// the revisions and split the traffic). A tenant-a user creates a Knative-mode iris model through
// the API, then on its Rollout tab rolls a new storage URI out at 20 %: the review lists the
// InferenceService update, and after Apply the tab shows both revisions at 80/20. Promote, reviewed
// and applied, leaves the new revision alone at 100 %. Screenshots go to
// .test-output/screenshots/rollout-*.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
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
    // Leaves the portal as it was: the model (and so its entity) goes.
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
