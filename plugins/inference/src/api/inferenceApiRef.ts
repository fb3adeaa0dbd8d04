import { createApiRef } from '@backstage/frontend-plugin-api';
import type { InferenceApi } from '@inference-in-a-box/backstage-plugin-inference-common';

/**
 * The inference backend's REST API, as the typed client in `-common` implements it. Components
 * depend on this ref, so tests give them a fake object literal instead of a server.
 * @public
 */
export const inferenceApiRef = createApiRef<InferenceApi>({
  id: 'plugin.inference.api',
});
