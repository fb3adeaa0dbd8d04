import { render, screen } from '@testing-library/react';
import inferencePlugin from '@internal/backstage-plugin-inference';
import App from './App';

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

/** The backend answers the app needs, by path: an empty catalog and no live models. */
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

/**
 * Renders the app as the browser gets it: runtime config in a script tag and, because
 * `app.packages` is `all`, the features the CLI's build discovered among the app's dependencies
 * (only the inference plugin here).
 */
function renderAppAt(path: string) {
  const config = {
    app: { title: 'Test', baseUrl: 'http://localhost', packages: 'all' },
    backend: { baseUrl: BACKEND },
    auth: { providers: { devUsers: { users: ['dev-a', 'dev-b'] } } },
  };
  document.head.innerHTML = `<script type="backstage.io/config">${JSON.stringify(
    [{ data: config, context: 'test' }],
  )}</script>`;
  window.history.pushState({}, '', path);
  return render(App.createRoot());
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
            name: '@internal/backstage-plugin-inference',
            default: inferencePlugin,
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
    expect(screen.getByRole('button', { name: 'dev-a' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'dev-b' })).toBeInTheDocument();
    expect(
      screen.queryByRole('tab', { name: 'Models' }),
    ).not.toBeInTheDocument();
    expect(requests).toHaveLength(0);
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
});
