import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { render, screen, within } from '@testing-library/react';
import { parse } from 'yaml';
import { createApp } from '@backstage/frontend-defaults';
import inferencePlugin from '@inference-in-a-box/backstage-plugin-inference';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import { appFeatures } from './App';

const BACKEND = 'http://localhost:7007';

const base64Url = (value: object) =>
  btoa(JSON.stringify(value))
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');

/** Shaped like a Backstage token: the sign-in page reads its expiry from the payload. */
const DEV_A_TOKEN = [
  base64Url({ alg: 'none' }),
  base64Url({
    sub: 'user:default/dev-a',
    exp: Math.floor(Date.now() / 1000) + 3600,
  }),
  'signature',
].join('.');

/** A notification of dev-a's, as the notifications backend lists it. */
const DRIFT_NOTIFICATION = {
  id: '6f1f8a52-0b6e-4d7b-9c36-3a0b8f7f2a11',
  user: 'user:default/dev-a',
  origin: 'plugin:inference',
  created: '2026-12-01T10:00:00.000Z',
  payload: {
    title: 'Drift on the publication of iris',
    description:
      'The HTTPRoute iris in tenant-a was changed outside the portal.',
    link: '/inference/models/local/tenant-a/iris',
    severity: 'high',
    topic: 'Publication drift',
    scope: 'publication-drift:local/tenant-a/iris',
  },
};

/**
 * The backend answers the app needs, by path: an empty catalog, no live models and one unread
 * notification.
 */
const ANSWERS: Record<string, unknown> = {
  '/api/auth/devUsers/refresh': {
    profile: { displayName: 'Dev A' },
    backstageIdentity: {
      token: DEV_A_TOKEN,
      identity: {
        type: 'user',
        userEntityRef: 'user:default/dev-a',
        ownershipEntityRefs: ['user:default/dev-a', 'group:default/tenant-a'],
      },
    },
  },
  '/api/inference/models': { items: [] },
  '/api/catalog/entities/by-query': { items: [], totalItems: 0, pageInfo: {} },
  '/api/catalog/entities': [],
  '/api/notifications/status': { unread: 1, read: 0 },
  '/api/notifications/notifications': {
    totalCount: 1,
    notifications: [DRIFT_NOTIFICATION],
  },
  '/api/notifications/topics': { topics: ['Publication drift'] },
};

/** Every request the app sent, so tests can check who it was sent as. */
let requests: Request[] = [];

async function fakeBackend(input: RequestInfo | URL, init?: RequestInit) {
  const request = new Request(input, init);
  requests.push(request);
  const { pathname } = new URL(request.url);
  if (!(pathname in ANSWERS)) {
    return new Response('Not found', { status: 404 });
  }
  return new Response(JSON.stringify(ANSWERS[pathname]), {
    headers: { 'content-type': 'application/json' },
  });
}

const requestTo = (pathname: string) =>
  requests.find(r => new URL(r.url).pathname === pathname);

type Json = { [key: string]: any };

/** Merges config files the way the config loader does: objects merge, later values win. */
function merge(base: Json, over: Json): Json {
  const merged = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const isObject = (v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v);
    merged[key] =
      isObject(value) && isObject(base[key]) ? merge(base[key], value) : value;
  }
  return merged;
}

/**
 * The frontend's share of the repository's config files (`--config` order), as the app backend
 * serves it: the keys the app reads that are declared `@visibility frontend` (config.d.ts here and
 * the auth backend's `auth.environment`). Environment variables are dummies, as in configs/portal.
 */
function frontendConfigOf(files: string[]) {
  const root = resolve(__dirname, '../../..');
  const full = files
    .map(file =>
      parse(
        readFileSync(resolve(root, file), 'utf8').replace(
          /\$\{PORTAL_BASE_URL\}/g,
          'https://portal.example.com',
        ),
      ),
    )
    .reduce(merge, {});
  return {
    app: { ...full.app, baseUrl: 'http://localhost' },
    backend: { baseUrl: BACKEND },
    auth: {
      environment: full.auth?.environment,
      providers: {
        devUsers: { users: full.auth?.providers?.devUsers?.users },
      },
    },
  };
}

const DEVELOPMENT = ['app-config.yaml'];
const PRODUCTION = ['app-config.yaml', 'app-config.production.yaml'];

/**
 * Renders the app as the browser gets it: runtime config in a script tag and, because
 * `app.packages` is `all`, the features the CLI's build discovered among the app's dependencies
 * (only the inference and notifications plugins here).
 */
function renderAppAt(path: string, configFiles = DEVELOPMENT) {
  const config = frontendConfigOf(configFiles);
  document.head.innerHTML = `<script type="backstage.io/config">${JSON.stringify(
    [{ data: config, context: 'test' }],
  )}</script>`;
  window.history.pushState({}, '', path);
  // A new app per render: an app reads its config once.
  return render(createApp({ features: appFeatures }).createRoot());
}

/** The first render loads every plugin of the app, which is slow on a busy machine. */
const APP_LOAD = { timeout: 15_000 };

describe('App', () => {
  beforeEach(() => {
    requests = [];
    jest.spyOn(global, 'fetch').mockImplementation(fakeBackend);
    Object.assign(window, {
      '__@backstage/discovered__': {
        modules: [
          {
            name: '@inference-in-a-box/backstage-plugin-inference',
            default: inferencePlugin,
          },
          {
            name: '@backstage/plugin-notifications/alpha',
            default: notificationsPlugin,
          },
        ],
      },
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('asks which demo user to sign in as before showing anything', async () => {
    renderAppAt('/inference?as=');
    expect(
      await screen.findByText(
        'Sign in to Inference-in-a-Box (development)',
        {},
        APP_LOAD,
      ),
    ).toBeInTheDocument();
    for (const user of ['dev-a', 'dev-b', 'dev-c', 'platform-admin']) {
      expect(screen.getByRole('button', { name: user })).toBeInTheDocument();
    }
    expect(screen.queryByText('Single sign-on')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('tab', { name: 'Models' }),
    ).not.toBeInTheDocument();
    expect(requests).toHaveLength(0);
  }, 20_000);

  it('offers OIDC sign-in, not the demo users, with the production config', async () => {
    renderAppAt('/inference?as=dev-a', PRODUCTION);
    expect(
      await screen.findByText('Single sign-on', {}, APP_LOAD),
    ).toBeInTheDocument();
    expect(
      screen.getByText("Sign in with your organisation's account (OIDC)"),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign In' })).toBeInTheDocument();
    expect(
      screen.queryByText('Sign in to Inference-in-a-Box (development)'),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'dev-a' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('tab', { name: 'Models' }),
    ).not.toBeInTheDocument();
    // ?as=dev-a does nothing here: no request to the development provider.
    expect(requestTo('/api/auth/devUsers/refresh')).toBeUndefined();
    expect(requests.map(r => new URL(r.url).pathname)).toEqual(
      requests.map(() => '/api/auth/oidc/refresh'),
    );
  }, 20_000);

  it('shows the Inference page to a signed-in user and calls the backend as that user', async () => {
    renderAppAt('/inference/models?as=dev-a');
    expect(
      await screen.findByText('No models yet.', {}, APP_LOAD),
    ).toBeInTheDocument();
    for (const tab of ['Models', 'Tenants', 'Publications']) {
      expect(screen.getByRole('tab', { name: tab })).toBeInTheDocument();
    }
    expect(screen.getByRole('table', { name: 'Models' })).toBeInTheDocument();
    expect(
      requestTo('/api/auth/devUsers/refresh')?.headers.get('x-dev-user'),
    ).toBe('dev-a');
    expect(
      requestTo('/api/inference/models')?.headers.get('authorization'),
    ).toBe(`Bearer ${DEV_A_TOKEN}`);
  }, 20_000);

  it('shows a signed-in user their notifications, and the unread count in the sidebar', async () => {
    renderAppAt('/notifications?as=dev-a');
    expect(
      await screen.findByText('Drift on the publication of iris', {}, APP_LOAD),
    ).toBeInTheDocument();
    const sidebar = within(
      screen.getByRole('navigation', { name: 'sidebar nav' }),
    );
    const sidebarItem = sidebar.getByRole('link', { name: 'Notifications' });
    expect(sidebarItem).toHaveAttribute('href', '/notifications');
    expect(sidebarItem).toHaveTextContent('1');
    expect(
      requestTo('/api/notifications/status')?.headers.get('authorization'),
    ).toBe(`Bearer ${DEV_A_TOKEN}`);
  }, 20_000);
});
