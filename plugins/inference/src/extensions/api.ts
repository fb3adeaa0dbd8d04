import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { InferenceClient } from '@inference-in-a-box/backstage-plugin-inference-common';
import { inferenceApiRef } from '../api';

/** The typed client of `-common`, with the app's discovery (base URL) and fetch (user credentials). */
export const inferenceApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: inferenceApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new InferenceClient({
          getBaseUrl: () => discoveryApi.getBaseUrl('inference'),
          fetch: fetchApi.fetch,
        }),
    }),
});
