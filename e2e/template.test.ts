// "Deploy a model" from the portal as a tenant-a user: the task log shows each step, and the new
// model's entity page opens and shows it Ready in the sandbox.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, openAs, screenshot } from './lib/portal.ts';

const TIMEOUT = 60_000;

describe('Deploy a model template', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('creates a model from the template and opens its Ready entity page', async () => {
    const name = `e2e-${Date.now().toString(36)}`;
    const page = await openAs(
      browser,
      'dev-a',
      '/create/templates/default/deploy-model',
    );
    await page.getByLabel('Name').first().waitFor({ timeout: TIMEOUT });
    await page.getByLabel('Name').first().fill(name);
    await page.getByLabel('Tenant').first().click();
    // Only the user's own tenants are offered.
    assert.deepEqual(await page.getByRole('option').allInnerTexts(), [
      'Tenant A (tenant-a)',
    ]);
    await page.getByRole('option', { name: 'Tenant A' }).click();
    await page
      .getByLabel('Storage URI')
      .first()
      .fill('gs://kfserving-examples/models/sklearn/1.0/model');
    await screenshot(page, 'template-1-model');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByText(name).first().waitFor({ timeout: TIMEOUT });
    await screenshot(page, 'template-2-review');
    await page.getByRole('button', { name: 'Create' }).click();

    await page
      .getByText('Finished step Register')
      .waitFor({ timeout: 3 * TIMEOUT });
    const log = await page.innerText('body');
    for (const line of [
      'Beginning step Create the model',
      'Finished step Create the model',
      'Beginning step Register',
    ]) {
      assert.ok(log.includes(line), `task log shows "${line}"`);
    }
    assert.ok(log.includes(`In the catalog as component:default/${name}`));
    await screenshot(page, 'template-3-task-log');

    await page
      .getByRole('button', { name: 'Open the model' })
      .or(page.getByRole('link', { name: 'Open the model' }))
      .first()
      .click();
    await page.waitForURL(new RegExp(`/catalog/default/component/${name}`), {
      timeout: TIMEOUT,
    });
    await page
      .getByText('Serving status')
      .first()
      .waitFor({ timeout: TIMEOUT });
    await page
      .getByText(/^Ready$/)
      .first()
      .waitFor({ timeout: TIMEOUT });
    await screenshot(page, 'template-4-entity-ready');
    await page.context().close();
  });
});
