// The test console against real enforcement: in development the portal's gateway calls go through
// the gateway data-path double (packages/gateway-sandbox), which checks the publication's keys and
// rate limits. A tenant-a user sends without a key and sees the 401, then runs a key past its
// limit of 2 requests a minute and sees the 429, each with the gateway's explanation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  callApi,
  launchBrowser,
  openAs,
  screenshot,
  tokenFor,
  untilRouted,
} from './lib/portal.ts';

const TIMEOUT = 60_000;
const MODEL = '/api/inference/models/local/tenant-a/sklearn-iris';

async function api(
  token: string,
  method: 'PUT' | 'POST' | 'DELETE',
  path: string,
  body?: object,
) {
  const { status, text } = await callApi(
    token,
    method,
    `${MODEL}${path}`,
    body,
  );
  if (status >= 400 && status !== 404) {
    throw new Error(`${method} ${path}: ${status} ${text}`);
  }
}

/** Rate limit windows follow the clock: start counting away from the end of a minute. */
async function awayFromMinuteEnd() {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 10_000) await new Promise(r => setTimeout(r, left + 100));
}

/** Presses Send, waits for the backend's answer to that request, then for the status shown. */
async function send(page: Page, status: number) {
  await Promise.all([
    page.waitForResponse(r => r.url().endsWith('/sklearn-iris/test'), {
      timeout: TIMEOUT,
    }),
    page.getByRole('button', { name: 'Send' }).click(),
  ]);
  await page
    .getByLabel(`Response status ${status}`)
    .waitFor({ timeout: TIMEOUT });
}

describe('the test console through the gateway double', () => {
  let browser: Browser;
  let token: string;
  before(async () => {
    token = await tokenFor('dev-a');
    await api(token, 'DELETE', '/publication');
    await api(token, 'PUT', '/publication', {
      publicModelName: 'sklearn-iris',
      auth: { apiKey: true },
      limits: { requestsPerMinute: 2 },
    });
    await api(token, 'POST', '/publication/keys', { name: 'limited' });
    // Polls without a key (401 once routed), so the key's budget stays whole.
    await untilRouted('dev-a', 'tenant-a/sklearn-iris', {
      protocol: 'kserve-v1',
      withoutApiKey: true,
      body: { instances: [[6.8, 2.8, 4.8, 1.4]] },
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await api(token, 'DELETE', '/publication');
  });

  it('shows the 401 of a call without a key and the 429 of a key past its limit', async () => {
    const page = await openAs(
      browser,
      'dev-a',
      '/catalog/default/component/sklearn-iris/test',
    );
    const keyField = page.getByLabel('API key', { exact: true });
    await keyField.waitFor({ timeout: TIMEOUT });

    await keyField.selectOption('none');
    await send(page, 401);
    const refusal = page.getByLabel('Gateway refusal');
    assert.match(await refusal.innerText(), /API key is missing/);
    assert.equal(
      (await page.getByLabel('Response body').innerText()).trim(),
      'Client authentication failed.',
    );
    await screenshot(page, 'gateway-401-without-key');

    await keyField.selectOption('newest');
    await awayFromMinuteEnd();
    await send(page, 200);
    await send(page, 200);
    await send(page, 429);
    assert.match(
      await refusal.innerText(),
      /rate-limited the call: the key's limit is 2 per 60 s; the window resets in \d+ s/,
    );
    assert.equal(
      (await page.getByLabel('Response body').innerText()).trim(),
      '(empty body)',
    );
    await screenshot(page, 'gateway-429-over-limit');
    await page.context().close();
  });
});
