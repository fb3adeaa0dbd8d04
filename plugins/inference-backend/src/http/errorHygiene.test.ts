// Errors sent to clients and stored in history carry no internal addresses or ServiceAccount
// names; the status, the object (kind/name) and the field causes stay.
import express from 'express';
import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import {
  ClusterFailureError,
  ClusterRejectedError,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import type { InferenceTestBackend } from '../__testUtils__';
import {
  apiAs,
  apiKeyPublishRequest,
  startPluginBackend,
} from '../__testUtils__';
import { recordMutation } from '../history/recordMutation';
import type { HistoryStore } from '../history/HistoryStore';
import { inferenceErrorHandler } from './errorHandler';

jest.setTimeout(60_000);

const SA = 'system:serviceaccount:inference-portal:inference-portal';
/**
 * Errors as they would reach the boundary with the API server's raw wording (toPortalError scrubs
 * at the source already, see -node's errors.test.ts; these check the boundary on its own).
 */
const forbidden = () =>
  new ClusterFailureError(
    `Kubernetes cluster 'local' failed HTTPRoute tenant-a/iris (HTTP 403): httproutes.gateway.networking.k8s.io "iris" is forbidden: User "${SA}" cannot patch resource "httproutes" in API group "gateway.networking.k8s.io" in the namespace "tenant-a"`,
    403,
  );
const invalid = () =>
  new ClusterRejectedError(
    `Cluster 'local' rejected InferenceService tenant-a/iris: InferenceService.serving.kserve.io "iris" is invalid: failed calling webhook: Post "https://kserve-webhook-server-service.kserve.svc:443/validate": dial tcp 10.96.0.17:443: connect: connection refused`,
    [
      {
        reason: 'FieldValueInvalid',
        field: 'spec.predictor.minReplicas',
        message: 'Invalid value: -1: must be >= 0 (checked by 10.96.0.17:443)',
      },
    ],
  );
const LEAKS =
  /serviceaccount|inference-portal:|10\.96|\.svc|https?:\/\/|:443\b/;

/** An app whose one route throws `error`, with the plugin's error handler; what reaches the next handler is kept. */
function appThrowing(error: unknown) {
  const passedOn: unknown[] = [];
  const app = express();
  app.get('/x', () => {
    throw error;
  });
  app.use(inferenceErrorHandler);
  app.use(
    (
      e: Error,
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      passedOn.push(e);
      res.status(500).json({ error: { name: e.name, message: e.message } });
    },
  );
  return { app, passedOn };
}

describe('error hygiene, crafted cluster errors', () => {
  it('answers a 403 from the API server without the ServiceAccount, keeping what was refused', async () => {
    const { app } = appThrowing(forbidden());
    const res = await request(app).get('/x');
    expect(res.status).toBe(502);
    expect(JSON.stringify(res.body)).not.toMatch(LEAKS);
    expect(res.body.error.message).toContain(
      '(HTTP 403): httproutes.gateway.networking.k8s.io "iris" is forbidden: User "<service account>" cannot patch resource "httproutes"',
    );
  });

  it('answers a rejection with its field causes and without the webhook address', async () => {
    const { app } = appThrowing(invalid());
    const res = await request(app).get('/x');
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).not.toMatch(LEAKS);
    expect(res.body.error.message).toContain(
      'InferenceService.serving.kserve.io "iris" is invalid: failed calling webhook',
    );
    expect(res.body.error.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.predictor.minReplicas',
        message: 'Invalid value: -1: must be >= 0 (checked by <address>)',
      },
    ]);
  });

  it('scrubs errors it passes on to the standard handler, keeping their class', async () => {
    const raw = Object.assign(
      new NotFoundError('no route via http://10.0.0.1:8080/x'),
      { cause: new Error(SA) },
    );
    const { app, passedOn } = appThrowing(raw);
    const res = await request(app).get('/x');
    expect(res.body.error.message).toBe('no route via <url>');
    expect(passedOn[0]).toBeInstanceOf(NotFoundError);
    expect((passedOn[0] as Error & { cause?: unknown }).cause).toBeUndefined();
  });

  it('stores and audits a failed mutation without internal detail', async () => {
    const recorded: { summary?: string }[] = [];
    const failed: Error[] = [];
    const history = {
      record: async (entry: { summary?: string }) => {
        recorded.push(entry);
        return entry;
      },
    } as unknown as HistoryStore;
    const auditor = {
      createEvent: async () => ({
        success: async () => undefined,
        fail: async ({ error }: { error: Error }) => {
          failed.push(error);
        },
      }),
    } as any;
    const thrown = forbidden();
    await expect(
      recordMutation(
        { auditor, history },
        { credentials: mockCredentials.user('user:default/dev-a') },
        {
          action: 'publication.publish',
          tenant: 'tenant-a',
          model: { cluster: 'local', namespace: 'tenant-a', name: 'iris' },
        },
        async () => {
          throw thrown;
        },
      ),
    ).rejects.toBe(thrown);
    expect(recorded[0].summary).toMatch(
      /HTTPRoute tenant-a\/iris \(HTTP 403\): .* cannot patch resource "httproutes"/,
    );
    expect(recorded[0].summary).not.toMatch(LEAKS);
    expect(failed[0].message).not.toMatch(LEAKS);
  });
});

describe('error hygiene, sandbox faults', () => {
  let backend: InferenceTestBackend;
  let address: RegExp;
  const M = '/models/local/tenant-a/iris';

  beforeAll(async () => {
    backend = await startPluginBackend({
      config: { kubernetes: { requestTimeoutMs: 500, maxAttempts: 2 } },
    });
    const { host, port } = new URL(backend.sandbox.url);
    address = new RegExp(
      `${host.replace(/\./g, '\\.')}|:${port}\\b|127\\.0\\.0\\.1`,
    );
    await apiAs(backend, 'dev-a').createReadyModel('tenant-a', {
      name: 'iris',
      framework: 'sklearn',
      storageUri: 'gs://b/iris',
    });
  });
  afterEach(() => backend.sandbox.faults.clear());
  afterAll(() => backend?.stop());

  it('answers and records a dropped connection without the cluster address', async () => {
    const devA = apiAs(backend, 'dev-a');
    backend.sandbox.faults.add({
      path: /\/securitypolicies\/iris-auth\?(?!.*dryRun=)/,
      drop: true,
    });
    const res = await devA.put(
      `${M}/publication`,
      apiKeyPublishRequest('iris'),
    );
    expect(res.status).toBe(503);
    expect(JSON.stringify(res.body)).not.toMatch(address);
    expect(res.body.error.message).toMatch(
      /cluster 'local' is unreachable .*SecurityPolicy/,
    );
    const history = (await devA.get(`${M}/history`)).body.items;
    const failed = history.find(
      (h: { outcome: string }) => h.outcome === 'failed',
    );
    expect(failed.summary).toMatch(/SecurityPolicy/);
    expect(failed.summary).not.toMatch(address);
  });

  it('answers a 403 fault with its status and object', async () => {
    backend.sandbox.faults.add({
      method: 'GET',
      path: '/apis/serving.kserve.io/v1beta1/namespaces/tenant-a/inferenceservices/iris',
      status: 403,
    });
    const res = await apiAs(backend, 'dev-a').get(M);
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(/\(HTTP 403\)/);
    expect(JSON.stringify(res.body)).not.toMatch(address);
  });
});
