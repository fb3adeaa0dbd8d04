import { ResponseError } from '@backstage/errors';
import type {
  InferenceApi,
  TenantInfo,
} from '@inference-in-a-box/backstage-plugin-inference-common';

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
  'getRollout',
  'changeRollout',
  'listApiKeys',
  'createApiKey',
  'rotateApiKey',
  'revokeApiKey',
  'getHistory',
  'testModel',
  'streamTestModel',
  'getPlatformOverview',
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
