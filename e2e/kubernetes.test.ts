// The model page's Kubernetes tab (the Backstage Kubernetes plugin) against the Kubernetes sandbox:
// a tenant-a user sees the predictor's Deployment and Pods of the published qwen-chat model and its
// InferenceService and publication objects, without the plugin's "problem retrieving" warning.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import {
  BACKEND_URL,
  launchBrowser,
  openAs,
  screenshot,
  tokenFor,
} from './lib/portal.ts';

const TIMEOUT = 60_000;
const PUBLICATION = `${BACKEND_URL}/api/inference/models/local/tenant-a/qwen-chat/publication`;

describe("a model's Kubernetes tab", () => {
  let browser: Browser;
  let token: string;
  before(async () => {
    token = await tokenFor('dev-a');
    const published = await fetch(PUBLICATION, {
      method: 'PUT',
      headers: {
        Authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        publicModelName: 'qwen-chat',
        auth: { apiKey: true },
        limits: { requestsPerMinute: 60 },
      }),
    });
    assert.equal(published.status, 200, await published.text());
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await fetch(PUBLICATION, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${token}` },
    });
  });

  it('shows the Pods, the Deployment and the publication objects of a Ready model', async () => {
    const page = await openAs(
      browser,
      'dev-a',
      '/catalog/default/component/qwen-chat/kubernetes',
    );
    const cluster = page.getByRole('button', { name: /local/ }).first();
    await cluster.waitFor({ timeout: TIMEOUT });
    await page
      .getByText(/^\d+ pods?$/)
      .first()
      .waitFor({ timeout: TIMEOUT });
    assert.equal(
      await page.getByText(/problem retrieving/i).count(),
      0,
      'the plugin reports no retrieval problem',
    );
    await cluster.click();
    await page
      .getByText('qwen-chat-predictor', { exact: false })
      .first()
      .waitFor({ timeout: TIMEOUT });
    const text = await page.locator('main').innerText();
    for (const expected of ['qwen-chat-predictor', 'qwen-chat-auth'])
      assert.ok(text.includes(expected), `${expected} is listed`);
    await screenshot(page, 'kubernetes-tab');
    await page.context().close();
  });
});
