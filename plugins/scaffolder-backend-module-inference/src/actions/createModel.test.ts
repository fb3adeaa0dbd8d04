import {
  actionContext,
  mockScaffolderAuth,
} from '@internal/inference-test-utils';
import { backendError, fakeInferenceApi } from '../__testUtils__/fakes';
import { createModelAction } from './createModel';

const spec = {
  name: 'iris',
  framework: 'sklearn',
  storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model',
};
const created = {
  dryRun: false,
  manifest: {},
  changes: [
    {
      action: 'create' as const,
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      namespace: 'tenant-a',
      name: 'iris',
      fieldChanges: [],
    },
  ],
};

describe('inference:model:create', () => {
  it('creates the model in the tenant namespace, as the user, and outputs where it lives', async () => {
    const api = fakeInferenceApi({ createModel: async () => created });
    const action = createModelAction({ api, auth: mockScaffolderAuth() });
    const ctx = actionContext({ tenant: 'group:default/tenant-a', spec });

    await action.handler(ctx as never);

    expect(api.createModel).toHaveBeenCalledWith(
      { cluster: 'local', namespace: 'tenant-a', spec },
      { token: expect.any(String) },
    );
    // The token the backend receives is the user's (on behalf of dev-a), for the inference plugin.
    const { token } = api.createModel.mock.calls[0][1]!;
    expect(
      JSON.parse(token!.replace(/^mock-service-token:/, '')),
    ).toMatchObject({
      obo: 'user:default/dev-a',
      target: 'inference',
    });
    expect(ctx.output).toHaveBeenCalledWith('model', {
      cluster: 'local',
      namespace: 'tenant-a',
      name: 'iris',
    });
    expect(ctx.output).toHaveBeenCalledWith('tenant', 'group:default/tenant-a');
    expect(ctx.output).toHaveBeenCalledWith('changes', [
      'create InferenceService tenant-a/iris',
    ]);
  });

  it('accepts the tenant by name as well as by entity ref', async () => {
    const api = fakeInferenceApi({ createModel: async () => created });
    await createModelAction({ api, auth: mockScaffolderAuth() }).handler(
      actionContext({ tenant: 'tenant-a', spec }) as never,
    );
    expect(api.createModel).toHaveBeenCalledTimes(1);
  });

  it('only previews in a dry run', async () => {
    const api = fakeInferenceApi({
      createModel: async () => ({ ...created, dryRun: true }),
    });
    const ctx = actionContext({ tenant: 'tenant-a', spec }, { dryRun: true });
    await createModelAction({ api, auth: mockScaffolderAuth() }).handler(
      ctx as never,
    );
    expect(api.createModel).toHaveBeenCalledWith(expect.anything(), {
      token: expect.any(String),
      dryRun: true,
    });
    expect(ctx.output).toHaveBeenCalledWith('changes', [
      'create InferenceService tenant-a/iris',
    ]);
  });

  it('refuses a tenant the user may not deploy to, before calling create', async () => {
    const api = fakeInferenceApi();
    const action = createModelAction({ api, auth: mockScaffolderAuth() });
    await expect(
      action.handler(
        actionContext({ tenant: 'group:default/tenant-b', spec }) as never,
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        "tenant: 'group:default/tenant-b' is not a tenant you may deploy to (yours: tenant-a)",
    });
    expect(api.createModel).not.toHaveBeenCalled();
  });

  it("surfaces the backend's validation error, which names the field, as an InputError", async () => {
    const api = fakeInferenceApi({
      createModel: async () => {
        throw await backendError(
          400,
          'RequestValidationError',
          'Invalid request: spec.storageUri: is required for sklearn models',
          {
            fields: [
              {
                field: 'spec.storageUri',
                message: 'is required for sklearn models',
              },
            ],
          },
        );
      },
    });
    const action = createModelAction({ api, auth: mockScaffolderAuth() });
    await expect(
      action.handler(
        actionContext({
          tenant: 'tenant-a',
          spec: { name: 'iris', framework: 'sklearn' },
        }) as never,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        "Creating model 'iris' in tenant-a: Invalid request: spec.storageUri: is required for sklearn models",
    });
  });

  it("surfaces the backend's refusals with their kind", async () => {
    for (const [status, name] of [
      [403, 'NotAllowedError'],
      [409, 'ConflictError'],
    ] as const) {
      const api = fakeInferenceApi({
        createModel: async () => {
          throw await backendError(status, name, 'refused by the backend');
        },
      });
      await expect(
        createModelAction({ api, auth: mockScaffolderAuth() }).handler(
          actionContext({ tenant: 'tenant-a', spec }) as never,
        ),
      ).rejects.toMatchObject({
        name,
        message: "Creating model 'iris' in tenant-a: refused by the backend",
      });
    }
  });

  it('describes its input with the shape of the model schema', () => {
    const action = createModelAction({
      api: fakeInferenceApi(),
      auth: mockScaffolderAuth(),
    });
    const input = action.schema?.input as {
      required: string[];
      properties: Record<string, any>;
    };
    expect(input.required).toEqual(['tenant', 'spec']);
    expect(input.properties.spec.required).toEqual(['name', 'framework']);
    expect(input.properties.spec.additionalProperties).toBe(false);
    expect(input.properties.spec.properties.framework.enum).toContain(
      'custom-openai',
    );
    expect(input.properties.spec.properties.name.maxLength).toBe(45);
  });
});
