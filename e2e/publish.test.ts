// The publishing journey as an ML engineer lives it, in headless Chromium against the running
// portal and the Kubernetes sandbox: a tenant-a user publishes the iris model, creates a key and
// gets a prediction from the test console; publishes the LLM and streams a chat reply; a tenant-b
// user cannot publish or manage keys of tenant-a's models. Screenshots of every step are written
// to .test-output/screenshots (printed at the end).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  launchBrowser,
  openAs,
  screenshot,
  SCREENSHOT_DIR,
  signIn,
  untilRouted,
  BACKEND_URL,
} from './lib/portal.ts';

const TIMEOUT = 60_000;

async function unpublishIfPublished(model: string) {
  // Makes the test repeatable against a portal that already ran it.
  const { token } = await signIn('platform-admin');
  await fetch(
    `${BACKEND_URL}/api/inference/models/local/tenant-a/${model}/publication`,
    {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${token}` },
    },
  );
}

async function publishThroughTheDialog(page: Page, prefix: string) {
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await screenshot(page, `${prefix}-1-publish-form`);
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByText('Will be created').first().waitFor({ timeout: TIMEOUT });
  await screenshot(page, `${prefix}-2-review`);
  await page.getByRole('button', { name: 'Apply' }).click();
  await page
    .getByRole('button', { name: 'Close' })
    .waitFor({ timeout: TIMEOUT });
  await screenshot(page, `${prefix}-3-applied`);
  await page.getByRole('button', { name: 'Close' }).click();
}

describe('publishing in the portal', () => {
  let browser: Browser;
  before(async () => {
    await unpublishIfPublished('sklearn-iris');
    await unpublishIfPublished('qwen-chat');
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    console.log(`Screenshots: ${SCREENSHOT_DIR}`);
  });

  it('a tenant-a user publishes sklearn-iris, creates a key and gets a prediction', async () => {
    const page = await openAs(
      browser,
      'dev-a',
      '/catalog/default/component/sklearn-iris/endpoint',
    );
    await page
      .getByRole('button', { name: 'Publish', exact: true })
      .waitFor({ timeout: TIMEOUT });
    await publishThroughTheDialog(page, 'iris');

    const endpoint = page.getByLabel('Endpoint URL').first();
    await endpoint.waitFor({ timeout: TIMEOUT });
    assert.match(
      await endpoint.innerText(),
      /https:\/\/api\.router\.inference-in-a-box\/models\/tenant-a\/sklearn-iris/,
    );
    await screenshot(page, 'iris-4-endpoint');

    await page.getByRole('button', { name: 'Create key' }).first().click();
    await page.getByRole('dialog').getByRole('textbox').first().fill('e2e');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: 'Create key' })
      .click();
    const revealed = page.getByRole('dialog').getByLabel(/New API key/);
    await revealed.waitFor({ timeout: TIMEOUT });
    const key = await revealed.inputValue();
    assert.match(key, /^iib_[A-Za-z0-9_-]{40,}$/);
    await screenshot(page, 'iris-5-key-shown-once');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: 'Close' })
      .click();
    await page.getByText('e2e', { exact: true }).waitFor({ timeout: TIMEOUT });
    assert.equal(
      await page.getByText(key).count(),
      0,
      'the key is shown only once',
    );
    assert.equal(
      await page.locator(`input[value="${key}"]`).count(),
      0,
      'the key is shown only once',
    );
    assert.ok(
      (await page.getByText(key.slice(-4)).count()) > 0,
      'the list shows the last four characters',
    );

    await untilRouted('dev-a', 'tenant-a/sklearn-iris', {
      protocol: 'kserve-v1',
      body: { instances: [[6.8, 2.8, 4.8, 1.4]] },
    });
    await page.getByRole('link', { name: 'Test', exact: true }).click();
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .getByText(/predictions/)
      .first()
      .waitFor({ timeout: TIMEOUT });
    await page.getByText(/200/).first().waitFor();
    await screenshot(page, 'iris-6-prediction');
    await page.context().close();
  });

  it('a tenant-a user publishes the LLM and a chat reply streams in', async () => {
    const page = await openAs(
      browser,
      'dev-a',
      '/catalog/default/component/qwen-chat/endpoint',
    );
    await page
      .getByRole('button', { name: 'Publish', exact: true })
      .waitFor({ timeout: TIMEOUT });
    await publishThroughTheDialog(page, 'llm');
    await page.getByLabel('Endpoint URL').first().waitFor({ timeout: TIMEOUT });
    await page.getByRole('button', { name: 'Create key' }).first().click();
    await page.getByRole('dialog').getByRole('textbox').first().fill('chat');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: 'Create key' })
      .click();
    await page
      .getByRole('dialog')
      .getByLabel(/New API key/)
      .waitFor({ timeout: TIMEOUT });
    await page
      .getByRole('dialog')
      .getByRole('button', { name: 'Close' })
      .click();

    await untilRouted('dev-a', 'tenant-a/qwen-chat', {
      protocol: 'openai-chat',
      body: { messages: [{ role: 'user', content: 'ping' }] },
    });
    await page.getByRole('link', { name: 'Test', exact: true }).click();
    const stream = page.getByLabel('Stream the answer');
    if (!(await stream.isChecked())) await stream.check();
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = page.getByLabel('Streamed answer');
    await answer.waitFor({ timeout: TIMEOUT });
    await page.waitForFunction(
      () =>
        (
          document.querySelector('[aria-label="Streamed answer"]')
            ?.textContent ?? ''
        )
          .trim()
          .split(/\s+/).length > 3,
    );
    await screenshot(page, 'llm-chat-streamed');
    await page.context().close();
  });

  it("a tenant-b user cannot publish tenant-a's models or manage their keys", async () => {
    for (const path of ['endpoint', 'test']) {
      const page = await openAs(
        browser,
        'dev-b',
        `/catalog/default/component/sklearn-iris/${path}`,
      );
      await page
        .getByText(/403|may not/i)
        .first()
        .waitFor({ timeout: TIMEOUT });
      for (const action of [
        'Publish',
        'Unpublish',
        'Create key',
        'Rotate',
        'Revoke',
        'Send',
      ]) {
        const buttons = page.getByRole('button', { name: action, exact: true });
        const usable = await Promise.all(
          (await buttons.all()).map(b => b.isEnabled()),
        );
        assert.ok(
          !usable.includes(true),
          `${action} is not offered to tenant-b on ${path}`,
        );
      }
      await screenshot(page, `tenant-b-${path}-refused`);
      await page.context().close();
    }
  });
});
