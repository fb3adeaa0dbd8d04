// Every inference route, called by every kind of caller, through the real permission framework:
// the permission backend plugin with this package's policy, the inference plugin, tenant
// membership from the repository's catalog files, and a Kubernetes sandbox.
import {
  apiAs,
  apiKeyPublishRequest,
  InferenceTestBackend,
  irisSpec,
  startInferenceTestBackend,
  storedObject,
} from '@internal/inference-test-utils';
import request from 'supertest';
import inferencePlugin from '@inference-in-a-box/backstage-plugin-inference-backend';
import {
  authHeader,
  Caller,
  CALLERS,
  portalPermissionFeatures,
} from './__testUtils__/testServices';

jest.setTimeout(120_000);

/** Who may act on tenant-a's models. */
const ALLOWED_ON_TENANT_A: Caller[] = ['dev-a', 'platform-admin'];

interface Route {
  name: string;
  method: 'get' | 'post' | 'put' | 'delete';
  path: (model: string) => string;
  body?: object;
}

const base = (model: string) => `/models/local/tenant-a/${model}`;
const MODEL_ROUTES: Route[] = [
  { name: 'read model', method: 'get', path: base },
  {
    name: 'update model (dry run)',
    method: 'put',
    path: m => `${base(m)}?dryRun=true`,
    body: { name: 'PLACEHOLDER', framework: 'sklearn', storageUri: 'gs://b/m' },
  },
  {
    name: 'create model (dry run)',
    method: 'post',
    path: () => '/models?dryRun=true',
    body: {
      namespace: 'tenant-a',
      spec: {
        name: 'PLACEHOLDER',
        framework: 'sklearn',
        storageUri: 'gs://b/m',
      },
    },
  },
  { name: 'delete model', method: 'delete', path: base },
  {
    name: 'read publication',
    method: 'get',
    path: m => `${base(m)}/publication`,
  },
  {
    name: 'publish (dry run)',
    method: 'put',
    path: m => `${base(m)}/publication?dryRun=true`,
    body: apiKeyPublishRequest('matrix', { requestsPerMinute: 5 }),
  },
  {
    name: 'unpublish (dry run)',
    method: 'delete',
    path: m => `${base(m)}/publication?dryRun=true`,
  },
  {
    name: 'list keys',
    method: 'get',
    path: m => `${base(m)}/publication/keys`,
  },
  {
    name: 'create key',
    method: 'post',
    path: m => `${base(m)}/publication/keys`,
    body: { name: 'matrix' },
  },
  {
    name: 'rotate key',
    method: 'post',
    path: m => `${base(m)}/publication/keys/key-000000000000/rotate`,
    body: { graceSeconds: 0 },
  },
  {
    name: 'revoke key',
    method: 'delete',
    path: m => `${base(m)}/publication/keys/key-000000000000`,
  },
  {
    name: 'drift check',
    method: 'post',
    path: m => `${base(m)}/publication/drift-check`,
  },
  {
    name: 'reconcile',
    method: 'post',
    path: m => `${base(m)}/publication/reconcile`,
  },
  { name: 'history', method: 'get', path: m => `${base(m)}/history` },
  { name: 'read rollout', method: 'get', path: m => `${base(m)}/rollout` },
  {
    name: 'start rollout (dry run)',
    method: 'post',
    path: m => `${base(m)}/rollout?dryRun=true`,
    body: { storageUri: 'gs://b/m2', canaryTrafficPercent: 20 },
  },
  {
    name: 'rollout traffic (dry run)',
    method: 'put',
    path: m => `${base(m)}/rollout/traffic?dryRun=true`,
    body: { canaryTrafficPercent: 30 },
  },
  {
    name: 'promote (dry run)',
    method: 'post',
    path: m => `${base(m)}/rollout/promote?dryRun=true`,
  },
  {
    name: 'roll back (dry run)',
    method: 'post',
    path: m => `${base(m)}/rollout/rollback?dryRun=true`,
  },
  // No Prometheus is configured here: a caller who passed the check gets 501.
  {
    name: 'usage',
    method: 'get',
    path: m => `${base(m)}/usage?window=1h`,
  },
  {
    name: 'test',
    method: 'post',
    path: m => `${base(m)}/test`,
    body: {
      protocol: 'kserve-v1',
      target: 'gateway',
      body: { instances: [[1, 2, 3, 4]] },
    },
  },
];

describe('inference permission matrix', () => {
  let backend: InferenceTestBackend;

  const call = (caller: Caller, route: Route, model: string) => {
    const body =
      route.body &&
      JSON.parse(JSON.stringify(route.body).replace(/PLACEHOLDER/g, model));
    const req = request(backend.server)
      [route.method](`/api/inference${route.path(model)}`)
      .set('Authorization', authHeader(caller));
    return body ? req.send(body) : req;
  };

  beforeAll(async () => {
    backend = await startInferenceTestBackend(inferencePlugin, {
      features: portalPermissionFeatures(),
      config: {},
      rootConfig: { permission: { enabled: true } },
    });
    const admin = apiAs(backend, 'platform-admin');
    await admin.createReadyModel('tenant-a', irisSpec());
    await admin.publish('tenant-a', 'iris');
  });
  afterAll(() => backend?.stop());

  /** 401 without credentials; 403 refused; anything else (200, 404 for a missing key, 409) passed the check. */
  const outcomeOf = (status: number) => {
    if (status === 401) return 'unauthenticated';
    if (status === 403) return 'refused';
    return 'allowed';
  };
  const expectedOutcome = (caller: Caller) => {
    if (caller === 'anonymous') return 'unauthenticated';
    // Refused before anything is looked up: the same 403 for existing and guessed names.
    return ALLOWED_ON_TENANT_A.includes(caller) ? 'allowed' : 'refused';
  };

  const cases = MODEL_ROUTES.flatMap(route =>
    ['iris', 'ghost'].flatMap(model =>
      CALLERS.map(caller => ({ route, model, caller }))
        // Deleting the published model is its own case below; keep it for the other rows.
        .filter(
          c =>
            !(
              c.route.name === 'delete model' &&
              c.model === 'iris' &&
              expectedOutcome(c.caller) === 'allowed'
            ),
        ),
    ),
  );

  it.each(
    cases.map(
      c =>
        [`${c.route.name} on tenant-a/${c.model} as ${c.caller}`, c] as const,
    ),
  )('%s', async (_title, c) => {
    const response = await call(c.caller, c.route, c.model);
    expect(outcomeOf(response.status)).toBe(expectedOutcome(c.caller));
  });

  it('refuses to delete a published model even for its tenant', async () => {
    const response = await call(
      'dev-a',
      MODEL_ROUTES.find(r => r.name === 'delete model')!,
      'iris',
    );
    expect(response.status).toBe(409);
  });

  it.each([
    ['dev-a', ['iris']],
    ['dev-b', []],
    ['platform-admin', ['iris']],
    ['visitor', []],
  ] as const)('lists only the models %s may read', async (caller, expected) => {
    const response = await apiAs(backend, caller).get('/models');
    expect(response.status).toBe(200);
    expect(response.body.items.map((m: { name: string }) => m.name)).toEqual(
      expected,
    );
  });

  it.each([
    ['dev-a', ['iris']],
    ['dev-b', []],
    ['platform-admin', ['iris']],
    ['visitor', []],
  ] as const)(
    'lists only the publications %s may read',
    async (caller, expected) => {
      const response = await apiAs(backend, caller).get('/publications');
      expect(response.status).toBe(200);
      expect(
        response.body.items.map((p: { model: string }) => p.model),
      ).toEqual(expected);
    },
  );

  it.each([
    ['dev-a', ['tenant-a']],
    ['dev-b', ['tenant-b']],
    ['platform-admin', ['tenant-a', 'tenant-b', 'tenant-c']],
    ['visitor', []],
  ] as const)(
    'lists only the tenants %s may read',
    async (caller, expected) => {
      const response = await apiAs(backend, caller).get('/tenants');
      expect(response.body.items.map((t: { name: string }) => t.name)).toEqual(
        expected,
      );
    },
  );

  const ADMIN_ROUTES: Route[] = [
    { name: 'platform overview', method: 'get', path: () => '/platform' },
    { name: 'drift check of all', method: 'post', path: () => '/drift-check' },
  ];
  it.each(
    ADMIN_ROUTES.flatMap(route =>
      (
        [
          ['platform-admin', 200],
          ['dev-a', 403],
          ['visitor', 403],
          ['anonymous', 401],
        ] as const
      ).map(([caller, status]) => [route.name, caller, status, route] as const),
    ),
  )('answers %s to %s with %i', async (_name, caller, status, route) => {
    const response = await call(caller, route, '');
    expect(response.status).toBe(status);
  });

  it('refuses a tenant-b member creating a model in tenant-a and creates nothing', async () => {
    const response = await apiAs(backend, 'dev-b').post('/models', {
      namespace: 'tenant-a',
      spec: { name: 'intruder', framework: 'sklearn', storageUri: 'gs://b/m' },
    });
    expect(response.status).toBe(403);
    expect(
      storedObject(backend, 'inferenceService', 'tenant-a', 'intruder'),
    ).toBeUndefined();
  });
});
