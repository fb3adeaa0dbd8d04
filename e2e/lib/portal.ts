// Shared helpers for the browser tests: where the running portal is, API access with a dev user's
// token, and a headless Debian Chromium driven by playwright-core.
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const APP_URL = process.env.PORTAL_APP_URL ?? 'http://localhost:3000';
export const BACKEND_URL =
  process.env.PORTAL_BACKEND_URL ?? 'http://localhost:7007';
export const SCREENSHOT_DIR = resolve(
  process.env.E2E_SCREENSHOT_DIR ??
    join(import.meta.dirname, '..', '..', '.test-output', 'screenshots'),
);

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // Without these Chromium keeps opening connections this machine's closed network refuses.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
  });
}

/** Opens a page signed in as the given demo user (the dev sign-in page honours `?as=`). */
export async function openAs(
  browser: Browser,
  user: string,
  path = '/',
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
  });
  const page = await context.newPage();
  const url = new URL(path, APP_URL);
  url.searchParams.set('as', user);
  await page.goto(url.toString());
  return page;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface SignedInIdentity {
  token: string;
  userEntityRef: string;
  ownershipEntityRefs: string[];
}

/** Signs a demo user in through the dev sign-in provider (or the guest provider). */
export async function signIn(user: string): Promise<SignedInIdentity> {
  const provider = user === 'guest' ? 'guest' : 'devUsers';
  const response = await fetch(
    `${BACKEND_URL}/api/auth/${provider}/refresh?env=development`,
    {
      headers: {
        'X-Requested-With': 'XMLHttpRequest',
        ...(user === 'guest' ? {} : { 'x-dev-user': user }),
      },
    },
  );
  if (!response.ok) {
    throw new Error(
      `sign-in as ${user} failed: ${response.status} ${await response.text()}`,
    );
  }
  const body = (await response.json()) as {
    backstageIdentity: {
      token: string;
      identity: Omit<SignedInIdentity, 'token'>;
    };
  };
  return {
    token: body.backstageIdentity.token,
    ...body.backstageIdentity.identity,
  };
}

/** A backend token for a demo user ('guest' for the guest provider). */
export async function tokenFor(user: string): Promise<string> {
  return (await signIn(user)).token;
}

/** Polls until `read` returns a value `done` accepts; the catalog ingests its files after start-up. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise(r => setTimeout(r, 1000));
  }
}

/** One call of the backend's API as a signed-in user (`path` from `/api/...`), whatever its answer. */
export async function callApi(
  token: string,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  path: string,
  body?: object,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${BACKEND_URL}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, text: await response.text() };
}

export async function getJson<T>(path: string, token: string): Promise<T> {
  const response = await fetch(`${BACKEND_URL}${path}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!response.ok) {
    throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as T;
}

/**
 * Waits until the gateway serves a newly published model: Envoy Gateway accepts a new route a
 * moment after the portal applies it (in development the sandbox's controllers take about a
 * second), and until then the gateway answers 404. Polls the portal's own test call.
 */
export async function untilRouted(
  user: string,
  /** `<namespace>/<name>` of the model. */
  model: string,
  request: { protocol: string; body: unknown; withoutApiKey?: boolean },
): Promise<void> {
  const token = await tokenFor(user);
  const status = await eventually(
    async () => {
      const response = await fetch(
        `${BACKEND_URL}/api/inference/models/local/${model}/test`,
        {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ ...request, target: 'gateway' }),
        },
      );
      return ((await response.json()) as { status?: number }).status;
    },
    value => value !== undefined && value !== 404,
    30_000,
  );
  if (status === undefined || status === 404)
    throw new Error(
      `the gateway never routed ${model} (last status ${status})`,
    );
}
