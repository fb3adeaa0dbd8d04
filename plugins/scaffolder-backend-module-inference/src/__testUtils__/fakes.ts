import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import type {
  InferenceApi,
  TenantInfo,
} from '@internal/backstage-plugin-inference-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';

export const tenantA: TenantInfo = {
  ref: 'group:default/tenant-a',
  name: 'tenant-a',
  cluster: 'local',
  namespace: 'tenant-a',
  members: ['user:default/dev-a'],
  namespaceState: 'Active',
};

const METHODS: Array<keyof InferenceApi> = [
  'listTenants',
  'listModels',
  'getModel',
  'createModel',
  'updateModel',
  'deleteModel',
  'listPublications',
  'getPublication',
  'publish',
  'unpublish',
  'listApiKeys',
  'createApiKey',
  'rotateApiKey',
  'revokeApiKey',
  'getHistory',
  'testModel',
  'streamTestModel',
];

/**
 * An InferenceApi whose methods are jest mocks: the given implementations, `listTenants` answering
 * tenant-a only (the user's one tenant), and every other method failing the test if called.
 */
export function fakeInferenceApi(
  implementations: Partial<InferenceApi> = {},
): jest.Mocked<InferenceApi> {
  const defaults: Partial<InferenceApi> = {
    listTenants: async () => [tenantA],
  };
  return Object.fromEntries(
    METHODS.map(method => [
      method,
      jest.fn(
        (implementations[method] ??
          defaults[method] ??
          (async () => {
            throw new Error(`${method} is not expected in this test`);
          })) as (...args: unknown[]) => Promise<unknown>,
      ),
    ]),
  ) as unknown as jest.Mocked<InferenceApi>;
}

/** An error as the InferenceClient throws it for an HTTP error answer of the backend. */
export function backendError(
  status: number,
  name: string,
  message: string,
  extra: object = {},
) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message, ...extra },
        request: { method: 'POST', url: '/api/inference/models' },
        response: { statusCode: status },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ),
  );
}

/** An action context for dev-a (or `user`), optionally a dry run; `output` is a jest mock. */
export function actionContext<T extends JsonObject>(
  input: T,
  options: { dryRun?: boolean; user?: string } = {},
): ActionContext<T> & { output: jest.Mock } {
  const credentials = mockCredentials.user(
    options.user ?? 'user:default/dev-a',
  );
  // The test utils are built against an older scaffolder-node; the context's shape is the same.
  const base = createMockActionContext({
    input,
  }) as unknown as ActionContext<T> & { output: jest.Mock };
  return {
    ...base,
    isDryRun: options.dryRun ?? false,
    getInitiatorCredentials: async () => credentials,
  };
}

export const mockAuth = () => mockServices.auth({ pluginId: 'scaffolder' });
