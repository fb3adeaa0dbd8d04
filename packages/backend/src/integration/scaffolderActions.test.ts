// The actions against the real inference plugin (test backend + Kubernetes sandbox + the
// repository's catalog), through the real typed client over HTTP, as the user who runs the template.
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { InferenceClient } from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  actionContext,
  apiKeyPublishRequest,
  InferenceTestBackend,
  irisSpec,
  mockScaffolderAuth,
  startInferenceTestBackend,
  storedObjects,
} from '@internal/inference-test-utils';
import type { AddressInfo } from 'node:net';
import inferencePlugin from '@inference-in-a-box/backstage-plugin-inference-backend';
import {
  createModelAction,
  publishModelAction,
} from '@inference-in-a-box/backstage-plugin-scaffolder-backend-module-inference';

jest.setTimeout(60_000);

const ISVC = ['serving.kserve.io/v1beta1', 'InferenceService'] as const;

const iris = irisSpec;

function actionsFor(backend: InferenceTestBackend) {
  const { port } = (backend.server as { address(): AddressInfo }).address();
  const api = new InferenceClient({
    getBaseUrl: async () => `http://127.0.0.1:${port}/api/inference`,
  });
  const deps = { api, auth: mockScaffolderAuth() };
  return {
    api,
    create: createModelAction(deps),
    publish: publishModelAction(deps),
  };
}

describe('inference actions against the inference backend', () => {
  let backend: InferenceTestBackend;
  let actions: ReturnType<typeof actionsFor>;

  beforeAll(async () => {
    backend = await startInferenceTestBackend(inferencePlugin);
    actions = actionsFor(backend);
  });
  afterAll(() => backend?.stop());

  const stored = (namespace: string) =>
    backend.sandbox.store.list(...ISVC, namespace).map(o => o.metadata.name);

  it('creates and publishes a model as the user, and outputs where it lives and its endpoint', async () => {
    const create = actionContext({
      tenant: 'group:default/tenant-a',
      spec: iris('iris-tpl'),
    });
    await actions.create.handler(create as never);
    expect(stored('tenant-a')).toContain('iris-tpl');
    const model = { cluster: 'local', namespace: 'tenant-a', name: 'iris-tpl' };
    expect(create.output).toHaveBeenCalledWith('model', model);
    // Created by the user who ran the template, as the history records it.
    const history = await actions.api.getHistory(model, {
      token: await userToken(),
    });
    expect(history[0]).toMatchObject({
      action: 'model.create',
      actor: 'user:default/dev-a',
      outcome: 'succeeded',
    });

    const publish = actionContext({
      model,
      publication: apiKeyPublishRequest('iris-tpl'),
    });
    await actions.publish.handler(publish as never);
    expect(publish.output).toHaveBeenCalledWith(
      'endpoint',
      'https://api.router.inference-in-a-box/models/tenant-a/iris-tpl',
    );
    const routes = storedObjects(backend, 'httpRoute', 'tenant-a');
    expect(
      routes.map(r => r.metadata.labels?.['inference.platform.io/model']),
    ).toContain('iris-tpl');
  });

  it('creates nothing in a dry run', async () => {
    const ctx = actionContext(
      { tenant: 'tenant-a', spec: iris('iris-dry') },
      { dryRun: true },
    );
    await actions.create.handler(ctx as never);
    expect(ctx.output).toHaveBeenCalledWith('changes', [
      'create InferenceService tenant-a/iris-dry',
    ]);
    expect(stored('tenant-a')).not.toContain('iris-dry');
  });

  it("fails bad input with the backend's 400, naming the field", async () => {
    const ctx = actionContext({
      tenant: 'tenant-a',
      spec: { name: 'no-uri', framework: 'sklearn' },
    });
    await expect(actions.create.handler(ctx as never)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'spec.storageUri: is required for sklearn models',
      ),
    });
    expect(stored('tenant-a')).not.toContain('no-uri');
  });

  async function userToken() {
    const { token } = await mockScaffolderAuth().getPluginRequestToken({
      onBehalfOf: await actionContext({}).getInitiatorCredentials(),
      targetPluginId: 'inference',
    });
    return token;
  }
});

describe('inference actions when the permission policy refuses', () => {
  /** Lets users read every tenant's models but create none: the refusal comes from the create call. */
  const readOnlyPermissions = createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => {
      const decide = (requests: Array<{ permission: { name: string } }>) =>
        requests.map(r => ({
          result:
            r.permission.name === 'inference.model.create'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        }));
      return {
        authorize: async requests => decide(requests) as never,
        authorizeConditional: async requests => decide(requests) as never,
      };
    },
  });

  it("surfaces the backend's 403 on create as NotAllowedError, and creates nothing", async () => {
    const backend = await startInferenceTestBackend(inferencePlugin, {
      features: [readOnlyPermissions],
    });
    try {
      const { create } = actionsFor(backend);
      await expect(
        create.handler(
          actionContext({
            tenant: 'tenant-b',
            spec: iris('not-mine'),
          }) as never,
        ),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringMatching(
          /^Creating model 'not-mine' in tenant-b: /,
        ),
      });
      expect(backend.sandbox.store.list(...ISVC, 'tenant-b')).toEqual([]);
    } finally {
      await backend.stop();
    }
  });

  it('refuses a tenant the backend does not list for the user', async () => {
    const denyAll = createServiceFactory({
      service: coreServices.permissions,
      deps: {},
      factory: () => ({
        authorize: async requests =>
          requests.map(() => ({ result: AuthorizeResult.DENY })) as never,
        authorizeConditional: async requests =>
          requests.map(() => ({ result: AuthorizeResult.DENY })) as never,
      }),
    });
    const backend = await startInferenceTestBackend(inferencePlugin, {
      features: [denyAll],
    });
    try {
      const { create } = actionsFor(backend);
      await expect(
        create.handler(
          actionContext({
            tenant: 'group:default/tenant-b',
            spec: iris('not-mine'),
          }) as never,
        ),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          "tenant: 'group:default/tenant-b' is not a tenant you may deploy to (yours: none)",
      });
    } finally {
      await backend.stop();
    }
  });
});
