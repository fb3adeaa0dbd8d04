import type { InferenceApi } from '@inference-in-a-box/backstage-plugin-inference-common';
import { modelUsage } from './fixtures';
import { failsWith } from './responseError';

/**
 * A fake inference API: one object literal of jest mocks. Reads answer "nothing there"; writes
 * fail loudly unless a test gives them an answer, so an unexpected call cannot pass unnoticed.
 */
export function fakeInferenceApi(
  overrides: Partial<InferenceApi> = {},
): jest.Mocked<InferenceApi> {
  const unexpected = (name: string) =>
    jest.fn(async () => {
      throw new Error(`Unexpected call to ${name} in this test`);
    });
  return {
    listTenants: jest.fn(async () => []),
    listModels: jest.fn(async () => []),
    getModel: unexpected('getModel'),
    createModel: unexpected('createModel'),
    updateModel: unexpected('updateModel'),
    deleteModel: unexpected('deleteModel'),
    listPublications: jest.fn(async () => []),
    getPublication: jest.fn(async () => undefined),
    publish: unexpected('publish'),
    unpublish: unexpected('unpublish'),
    checkPublicationDrift: unexpected('checkPublicationDrift'),
    reconcilePublication: unexpected('reconcilePublication'),
    getRollout: unexpected('getRollout'),
    changeRollout: unexpected('changeRollout'),
    listApiKeys: jest.fn(async () => []),
    createApiKey: unexpected('createApiKey'),
    rotateApiKey: unexpected('rotateApiKey'),
    revokeApiKey: unexpected('revokeApiKey'),
    getHistory: jest.fn(async () => []),
    testModel: unexpected('testModel'),
    streamTestModel: unexpected('streamTestModel'),
    getPlatformOverview: jest.fn(async () => ({ clusters: [] })),
    getModelUsage: jest.fn(async (model, window) =>
      modelUsage({ model, window }),
    ),
    getTenantUsage: jest.fn(async () => []),
    ...overrides,
  } as jest.Mocked<InferenceApi>;
}

/** The error name the backend's `@backstage/errors` answers carry for each status. */
const ERROR_NAMES: Record<number, string> = {
  400: 'InputError',
  403: 'NotAllowedError',
  404: 'NotFoundError',
  409: 'ConflictError',
  501: 'NotImplementedError',
  503: 'ServiceUnavailableError',
};

/** A fake API whose `method` fails the way the client does for this error answer of the backend. */
export function apiFailing(
  method: keyof InferenceApi,
  status: keyof typeof ERROR_NAMES,
  message: string,
): jest.Mocked<InferenceApi> {
  const name = ERROR_NAMES[status];
  return fakeInferenceApi({ [method]: failsWith(status, { name, message }) });
}
