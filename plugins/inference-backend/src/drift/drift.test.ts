import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  notificationService,
  NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import type {
  DriftedObject,
  HistoryEntry,
  PublicationDrift,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { InferenceTestBackend } from '../__testUtils__';
import { publicationObjectNames } from '../publication/build/objectNames';
import {
  apiAs,
  apiKeyPublishRequest,
  irisSpec,
  qwenSpec,
  startPluginBackend,
  storedApiKeys,
  storedObject,
} from '../__testUtils__';

jest.setTimeout(90_000);

/** The sandbox's simulated controllers write status (a new resourceVersion) shortly after a write. */
const controllersRun = () => new Promise(r => setTimeout(r, 400));

/** The real kubectl against the sandbox, as an operator with their own field manager. */
function kubectlFor(backend: InferenceTestBackend) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-kubectl-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, backend.sandbox.kubeconfig());
  return {
    run: (...args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile(
          'kubectl',
          ['--cache-dir', path.join(dir, 'cache'), ...args],
          { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir } },
          (error, stdout, stderr) =>
            error
              ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`))
              : resolve(stdout),
        ),
      ),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

const OPERATOR = ['--field-manager', 'ops-oncall', '-n', 'tenant-a'];
const names = publicationObjectNames('tenant-a', 'iris');

/** What an operator does with `kubectl patch` to open a publication up. */
const removeApiKeyAuth = (kubectl: ReturnType<typeof kubectlFor>) =>
  kubectl.run(
    'patch',
    'securitypolicy',
    names.securityPolicy,
    ...OPERATOR,
    '--type',
    'json',
    '-p',
    '[{"op":"remove","path":"/spec/apiKeyAuth"}]',
  );

const summary = (objects: DriftedObject[]) =>
  objects.map(o => `${o.change} ${o.kind}/${o.name}`).sort();

describe('drift of a publication against the sandbox', () => {
  let backend: InferenceTestBackend;
  let kubectl: ReturnType<typeof kubectlFor>;
  let devA: ReturnType<typeof apiAs>;
  const iris = '/models/local/tenant-a/iris/publication';

  const check = async (publication = iris) => {
    const response = await devA.post(`${publication}/drift-check`);
    expect(response.status).toBe(200);
    return response.body as PublicationDrift;
  };
  const history = async () =>
    (await devA.get('/models/local/tenant-a/iris/history')).body
      .items as HistoryEntry[];

  /** What the plugin sent to the notifications backend. */
  const sent: NotificationSendOptions[] = [];
  const notifications = createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({
      send: async (options: NotificationSendOptions) => {
        sent.push(options);
      },
    }),
  });

  /** The auditor's successful events: id and meta. */
  const audited: { eventId: string; meta?: Record<string, unknown> }[] = [];
  const auditor = createServiceFactory({
    service: coreServices.auditor,
    deps: {},
    factory: () => ({
      createEvent: async ({ eventId }: { eventId: string }) => ({
        success: async (options?: { meta?: Record<string, unknown> }) => {
          audited.push({ eventId, meta: options?.meta });
        },
        fail: async () => undefined,
      }),
    }),
  });

  beforeAll(async () => {
    backend = await startPluginBackend({
      features: [notifications, auditor],
    });
    kubectl = kubectlFor(backend);
    devA = apiAs(backend, 'dev-a');
    await devA.createReadyModel('tenant-a', irisSpec());
    const published = await devA.put(
      iris,
      apiKeyPublishRequest('iris', { requestsPerMinute: 60 }),
    );
    const key = await devA.post(`${iris}/keys`, { name: 'ci' });
    if (published.status !== 200 || key.status !== 201)
      throw new Error(`set-up: publish ${published.status}, key ${key.status}`);
  });
  afterAll(async () => {
    kubectl?.cleanup();
    await backend?.stop();
  });

  it('finds nothing while only controllers write, over several check cycles', async () => {
    await devA.createReadyModel('tenant-a', qwenSpec());
    expect(
      (
        await devA.put(
          '/models/local/tenant-a/qwen/publication',
          apiKeyPublishRequest('qwen-chat', { tokensPerHour: 1000 }),
        )
      ).status,
    ).toBe(200);
    for (let cycle = 0; cycle < 4; cycle++) {
      await controllersRun();
      expect((await check()).objects).toEqual([]);
      expect(
        (await check('/models/local/tenant-a/qwen/publication')).objects,
      ).toEqual([]);
    }
    const route = storedObject(
      backend,
      'aiGatewayRoute',
      'tenant-a',
      publicationObjectNames('tenant-a', 'qwen').route,
    );
    // The controllers did write: status is there, owned by another manager.
    expect(route?.status).toBeDefined();
  });

  it('puts back API-key authentication removed with kubectl, within one check', async () => {
    await removeApiKeyAuth(kubectl);
    expect(
      storedObject(backend, 'securityPolicy', 'tenant-a', names.securityPolicy)
        ?.spec,
    ).not.toHaveProperty('apiKeyAuth');

    const drift = await check();
    expect(drift.objects).toEqual([]);
    expect(summary(drift.restored ?? [])).toEqual([
      `changed SecurityPolicy/${names.securityPolicy}`,
    ]);
    const [restored] = drift.restored!;
    expect(restored.weakensGuard).toBe(true);
    // A removed field has no owner any more, and an update that only removed fields leaves its
    // manager owning nothing, so the API server keeps no entry for it: who removed it is not known.
    expect(restored.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'spec.apiKeyAuth.forwardClientIDHeader',
          before: 'x-inference-client-id',
        }),
      ]),
    );
    expect(restored.fields.every(f => f.after === undefined)).toBe(true);
    expect(
      storedObject(backend, 'securityPolicy', 'tenant-a', names.securityPolicy)
        ?.spec,
    ).toHaveProperty('apiKeyAuth.credentialRefs');

    const [latest] = await history();
    expect(latest).toMatchObject({
      action: 'publication.restore',
      outcome: 'succeeded',
    });
    // The tenant's group and the platform admins are told, once.
    expect(sent).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: [
            'group:default/tenant-a',
            'group:default/platform-admins',
          ],
        },
        payload: expect.objectContaining({
          title: 'The guards of iris were put back',
          scope: 'publication-drift:local/tenant-a/iris',
          severity: 'normal',
        }),
      },
    ]);
    sent.length = 0;
    expect(latest.summary).toContain(`SecurityPolicy/${names.securityPolicy}`);
    // Back in sync on the next check.
    expect(await check()).toMatchObject({ objects: [] });
  });

  it('removes an API key added to the Secret by hand, and never shows key values', async () => {
    const before = storedApiKeys(backend, 'tenant-a', 'iris');
    const intruder = Buffer.from('iib_handmade-key').toString('base64');
    await kubectl.run(
      'patch',
      'secret',
      names.apiKeysSecret,
      ...OPERATOR,
      '--type',
      'merge',
      '-p',
      JSON.stringify({ data: { intruder } }),
    );
    expect(Object.keys(storedApiKeys(backend, 'tenant-a', 'iris'))).toContain(
      'intruder',
    );

    const response = await devA.post(`${iris}/drift-check`);
    const drift = response.body as PublicationDrift;
    expect(summary(drift.restored ?? [])).toEqual([
      `changed Secret/${names.apiKeysSecret}`,
    ]);
    expect(drift.restored![0].fields).toContainEqual({
      path: 'data["intruder"]',
      after: '(hidden)',
      manager: 'ops-oncall',
    });
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(intruder);
    expect(text).not.toContain('handmade');
    for (const value of Object.values(before))
      expect(text).not.toContain(value);
    expect(storedApiKeys(backend, 'tenant-a', 'iris')).toEqual(before);
  });

  it('shows a rate limit raised by hand as drift, leaves it until Reconcile, then takes it back', async () => {
    await kubectl.run(
      'patch',
      'backendtrafficpolicy',
      names.trafficPolicy,
      ...OPERATOR,
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/spec/rateLimit/global/rules/0/limit/requests","value":100000}]',
    );
    const limit = () =>
      (
        storedObject(
          backend,
          'backendTrafficPolicy',
          'tenant-a',
          names.trafficPolicy,
        )?.spec as any
      ).rateLimit.global.rules[0].limit.requests;

    const drift = await check();
    expect(drift.restored).toBeUndefined();
    expect(drift.objects).toEqual([
      expect.objectContaining({
        kind: 'BackendTrafficPolicy',
        name: names.trafficPolicy,
        change: 'changed',
        weakensGuard: false,
        managers: ['ops-oncall'],
        fields: [
          {
            path: 'spec.rateLimit.global.rules.0.limit.requests',
            before: 60,
            after: 100000,
            manager: 'ops-oncall',
          },
        ],
      }),
    ]);
    expect(limit()).toBe(100000);
    expect(sent.map(n => n.payload)).toContainEqual(
      expect.objectContaining({
        title: 'The publication of iris was changed outside the portal',
        severity: 'high',
        description: expect.stringContaining('ops-oncall'),
      }),
    );
    const models = (await devA.get('/models')).body.items;
    expect(
      models.find((m: { name: string }) => m.name === 'iris'),
    ).toMatchObject({
      published: true,
      publicationState: 'drifted',
    });
    // The audit event names the field manager that made the change.
    expect(audited).toContainEqual({
      eventId: 'publication-drift',
      meta: expect.objectContaining({
        fieldManagers: ['ops-oncall'],
        driftedObjects: [`changed BackendTrafficPolicy/${names.trafficPolicy}`],
      }),
    });
    const rows = (await history()).filter(
      h => h.action === 'publication.drift',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].summary).toContain(
      `BackendTrafficPolicy/${names.trafficPolicy}`,
    );

    // Shown as drifted by the publication and the list; a second check records nothing new.
    expect((await devA.get(iris)).body).toMatchObject({ state: 'drifted' });
    const listed = (await devA.get('/publications')).body.items;
    expect(
      listed.find((p: { model: string }) => p.model === 'iris'),
    ).toMatchObject({
      state: 'drifted',
    });
    await check();
    expect(
      (await history()).filter(h => h.action === 'publication.drift'),
    ).toHaveLength(1);
    expect(limit()).toBe(100000);

    // Who may reconcile is the permission matrix's business (packages/backend).
    const reconciled = await devA.post(`${iris}/reconcile`);
    expect(reconciled.status).toBe(200);
    expect(reconciled.body).toMatchObject({
      state: 'published',
      drift: { objects: [] },
    });
    expect(limit()).toBe(60);
    expect((await history())[0]).toMatchObject({
      action: 'publication.reconcile',
      outcome: 'succeeded',
    });
  });

  it('recreates a SecurityPolicy deleted by hand', async () => {
    await kubectl.run(
      'delete',
      'securitypolicy',
      names.securityPolicy,
      '-n',
      'tenant-a',
    );
    const drift = await check();
    expect(summary(drift.restored ?? [])).toEqual([
      `missing SecurityPolicy/${names.securityPolicy}`,
    ]);
    expect(
      storedObject(backend, 'securityPolicy', 'tenant-a', names.securityPolicy),
    ).toBeDefined();
  });

  it('answers 404 for a model that is not published', async () => {
    const response = await devA.post(
      '/models/local/tenant-a/nope/publication/drift-check',
    );
    expect(response.status).toBe(404);
  });
});

describe('the scheduled drift check', () => {
  let backend: InferenceTestBackend;
  let kubectl: ReturnType<typeof kubectlFor>;

  beforeAll(async () => {
    backend = await startPluginBackend({
      config: { drift: { enabled: true, frequencySeconds: 10 } },
      // The real scheduler (the test backend's mock runs tasks only when told to).
      features: [schedulerServiceFactory],
    });
    kubectl = kubectlFor(backend);
    const devA = apiAs(backend, 'dev-a');
    await devA.createReadyModel('tenant-a', irisSpec());
    const published = await devA.put(
      '/models/local/tenant-a/iris/publication',
      apiKeyPublishRequest('iris', { requestsPerMinute: 60 }),
    );
    if (published.status !== 200)
      throw new Error(`set-up: publish ${published.status}`);
  });
  afterAll(async () => {
    kubectl?.cleanup();
    await backend?.stop();
  });

  it('puts API-key authentication back by itself, without anyone asking', async () => {
    await removeApiKeyAuth(kubectl);
    const apiKeyAuth = () =>
      (
        storedObject(
          backend,
          'securityPolicy',
          'tenant-a',
          names.securityPolicy,
        )?.spec as Record<string, unknown>
      ).apiKeyAuth;
    expect(apiKeyAuth()).toBeUndefined();
    // The first run starts 10 s after the backend; then every 10 s.
    for (let waited = 0; apiKeyAuth() === undefined && waited < 60; waited++)
      await new Promise(r => setTimeout(r, 1000));
    expect(apiKeyAuth()).toMatchObject({
      forwardClientIDHeader: expect.any(String),
    });
    const history = await apiAs(backend, 'dev-a').get(
      '/models/local/tenant-a/iris/history',
    );
    expect(history.body.items[0]).toMatchObject({
      action: 'publication.restore',
      outcome: 'succeeded',
    });
  });
});
