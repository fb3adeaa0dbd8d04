import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { JsonObject } from '@backstage/types';

/** A scaffolder action context run by `user` (dev-a by default); `output` is a jest mock. */
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

/** The scaffolder's own auth service, which the actions use to call the inference backend. */
export const mockScaffolderAuth = () =>
  mockServices.auth({ pluginId: 'scaffolder' });
