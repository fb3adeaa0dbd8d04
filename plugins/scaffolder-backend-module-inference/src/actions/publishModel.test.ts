import type { PublicationSummary } from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  actionContext,
  mockScaffolderAuth,
} from '@internal/inference-test-utils';
import { backendError, fakeInferenceApi } from '../__testUtils__/fakes';
import { publishModelAction } from './publishModel';

const model = { cluster: 'local', namespace: 'tenant-a', name: 'iris' };
const publication = {
  publicModelName: 'iris',
  auth: { apiKey: true as const },
  limits: { requestsPerMinute: 60, requestsPerHour: 3600 },
};
const change = (kind: string) => ({
  action: 'create' as const,
  apiVersion: 'v1',
  kind,
  namespace: 'tenant-a',
  name: 'iris',
  fieldChanges: [],
});
const summary = {
  endpoint: 'https://api.router.inference-in-a-box/models/tenant-a/iris',
  publicModelName: 'iris',
} as PublicationSummary;

describe('inference:model:publish', () => {
  it('publishes as the user and outputs the endpoint', async () => {
    const api = fakeInferenceApi({
      publish: async () => ({
        dryRun: false,
        changes: [change('HTTPRoute')],
        publication: summary,
      }),
    });
    const ctx = actionContext({ model, publication });
    await publishModelAction({ api, auth: mockScaffolderAuth() }).handler(
      ctx as never,
    );

    expect(api.publish).toHaveBeenCalledWith(model, publication, {
      token: expect.any(String),
    });
    expect(ctx.output).toHaveBeenCalledWith(
      'endpoint',
      'https://api.router.inference-in-a-box/models/tenant-a/iris',
    );
    expect(ctx.output).toHaveBeenCalledWith('publicModelName', 'iris');
    expect(ctx.output).toHaveBeenCalledWith('changes', [
      'create HTTPRoute tenant-a/iris',
    ]);
  });

  it('only previews in a dry run', async () => {
    const api = fakeInferenceApi({
      publish: async () => ({
        dryRun: true,
        changes: [change('SecurityPolicy')],
      }),
    });
    const ctx = actionContext({ model, publication }, { dryRun: true });
    await publishModelAction({ api, auth: mockScaffolderAuth() }).handler(
      ctx as never,
    );
    expect(api.publish).toHaveBeenCalledWith(model, publication, {
      token: expect.any(String),
      dryRun: true,
    });
    expect(ctx.output).toHaveBeenCalledWith('changes', [
      'create SecurityPolicy tenant-a/iris',
    ]);
    expect(ctx.output).not.toHaveBeenCalledWith('endpoint', expect.anything());
  });

  it('in a dry run of a model that is itself only previewed, checks the request alone', async () => {
    const api = fakeInferenceApi({
      publish: async () => {
        throw await backendError(
          404,
          'NotFoundError',
          "Model 'iris' does not exist in namespace 'tenant-a'",
        );
      },
    });
    const action = publishModelAction({ api, auth: mockScaffolderAuth() });
    await expect(
      action.handler(
        actionContext({ model, publication }, { dryRun: true }) as never,
      ),
    ).resolves.toBeUndefined();
    await expect(
      action.handler(
        actionContext(
          {
            model,
            publication: {
              ...publication,
              limits: { requestsPerMinute: 100, requestsPerHour: 50 },
            },
          },
          { dryRun: true },
        ) as never,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'publication.limits.requestsPerMinute: must not be more than the requests per hour',
      ),
    });
  });

  it("surfaces the backend's errors with the field", async () => {
    const api = fakeInferenceApi({
      publish: async () => {
        throw await backendError(
          400,
          'RequestValidationError',
          'Invalid request: limits.requestsPerMinute: must be at most 100 on this platform',
        );
      },
    });
    await expect(
      publishModelAction({ api, auth: mockScaffolderAuth() }).handler(
        actionContext({ model, publication }) as never,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        "Publishing model 'iris' in tenant-a: Invalid request: limits.requestsPerMinute: must be at most 100 on this platform",
    });
  });
});
