// The portal as a person first meets it: it loads, the catalog shows the four sample models, and a
// model's page opens. Also checks the catalog API answers the queries the README promises.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import {
  eventually,
  getJson,
  launchBrowser,
  openAs,
  screenshot,
  signIn,
  tokenFor,
} from './lib/portal.ts';

const SAMPLE_MODELS: Record<string, string> = {
  'huggingface-t5': 'T5 small (Hugging Face)',
  'pytorch-resnet': 'ResNet image classifier (PyTorch)',
  'qwen-chat': 'Qwen chat (vLLM, OpenAI-compatible)',
  'sklearn-iris': 'Iris classifier (scikit-learn)',
};

type Entity = { metadata: { name: string } };
const names = (entities: Entity[]) => entities.map(e => e.metadata.name).sort();

describe('catalog API', () => {
  it('lists exactly the four sample models for a guest', async () => {
    const token = await tokenFor('guest');
    const models = await eventually(
      () =>
        getJson<Entity[]>(
          '/api/catalog/entities?filter=spec.type=model',
          token,
        ),
      found => found.length >= 4,
    );
    assert.deepEqual(names(models), Object.keys(SAMPLE_MODELS));
  });

  it('lists exactly the three tenants', async () => {
    const token = await tokenFor('guest');
    const tenants = await eventually(
      () =>
        getJson<Entity[]>(
          '/api/catalog/entities?filter=kind=group,spec.type=tenant',
          token,
        ),
      found => found.length >= 3,
    );
    assert.deepEqual(names(tenants), ['tenant-a', 'tenant-b', 'tenant-c']);
  });

  it('signs the guest in as dev-a, a member of tenant-a', async () => {
    const guest = await signIn('guest');
    assert.equal(guest.userEntityRef, 'user:default/dev-a');
    assert.ok(guest.ownershipEntityRefs.includes('group:default/tenant-a'));
  });

  it('signs a chosen demo user in with that user’s tenant', async () => {
    const devB = await signIn('dev-b');
    assert.equal(devB.userEntityRef, 'user:default/dev-b');
    assert.ok(devB.ownershipEntityRefs.includes('group:default/tenant-b'));
    assert.ok(!devB.ownershipEntityRefs.includes('group:default/tenant-a'));
  });

  it('refuses a dev sign-in as a user that is not listed', async () => {
    await assert.rejects(signIn('mallory'), /400/);
  });
});

describe('portal in Chromium', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('loads, lists the four models in the catalog and opens a model page', async () => {
    const page = await openAs(
      browser,
      'dev-a',
      '/catalog?filters[kind]=component&filters[type]=model&filters[user]=all',
    );
    for (const title of Object.values(SAMPLE_MODELS)) {
      await page
        .getByRole('link', { name: title })
        .waitFor({ timeout: 60_000 });
    }
    await screenshot(page, 'catalog-models');

    await page
      .getByRole('link', { name: SAMPLE_MODELS['sklearn-iris'] })
      .click();
    await page.waitForURL(/\/catalog\/default\/component\/sklearn-iris/);
    await page
      .getByRole('heading', { name: SAMPLE_MODELS['sklearn-iris'] })
      .first()
      .waitFor();
    await page.getByRole('link', { name: 'Tenant A' }).first().waitFor();
    await page.getByText('About').first().waitFor();
    await screenshot(page, 'model-entity-page');
    await page.context().close();
  });
});
