import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { InferenceTestBackend } from './startInferenceTestBackend';

/** A publish request with API keys and the given limits (60 requests a minute unless given). */
export const apiKeyPublishRequest = (
  publicModelName: string,
  limits: Record<string, number> = { requestsPerMinute: 60 },
) => ({ publicModelName, auth: { apiKey: true }, limits });

/** The plugin's API as a given demo user: plain requests, and the steps most tests start with. */
export function apiAs(backend: InferenceTestBackend, user: string) {
  const auth = mockCredentials.user.header(`user:default/${user}`);
  const base = '/api/inference';
  const api = {
    get: (path: string) =>
      request(backend.server).get(`${base}${path}`).set('Authorization', auth),
    post: (path: string, body?: object) =>
      request(backend.server)
        .post(`${base}${path}`)
        .set('Authorization', auth)
        .send(body),
    put: (path: string, body?: object) =>
      request(backend.server)
        .put(`${base}${path}`)
        .set('Authorization', auth)
        .send(body),
    delete: (path: string) =>
      request(backend.server)
        .delete(`${base}${path}`)
        .set('Authorization', auth),

    /**
     * A test invocation (`POST …/test`) once the gateway serves the model. A real gateway takes a
     * moment to program a new route or key (Envoy Gateway, the AI Gateway controller generating
     * the HTTPRoute after the publish returned), and so does the double: wait until it has seen
     * every write so far, then ask again while it answers the 404 with an empty body that means no
     * route matched yet (Envoy's, as the browser tests' `untilRouted` does), for up to 10 s.
     */
    async testModel(namespace: string, model: string, body: object) {
      await backend.gateway?.objects.waitUntilCurrent(15_000);
      const notRoutedYet = (r: { status: number; body: any }) =>
        backend.gateway !== undefined &&
        r.status === 200 &&
        r.body?.status === 404 &&
        r.body?.body === '';
      for (let waited = 0; ; waited += 100) {
        const result = await api.post(
          `/models/local/${namespace}/${model}/test`,
          body,
        );
        if (!notRoutedYet(result) || waited >= 10_000) return result;
        await new Promise(r => setTimeout(r, 100));
      }
    },

    /** Creates a model and waits until the sandbox's controller reports it Ready. */
    async createReadyModel(
      namespace: string,
      spec: Record<string, unknown>,
    ): Promise<void> {
      const created = await api.post('/models', { namespace, spec });
      if (created.status !== 201) {
        throw new Error(
          `create ${spec.name}: ${created.status} ${JSON.stringify(
            created.body,
          )}`,
        );
      }
      for (let i = 0; i < 100; i++) {
        const model = await api.get(`/models/local/${namespace}/${spec.name}`);
        if (model.body.status?.ready) return;
        await new Promise(r => setTimeout(r, 50));
      }
      throw new Error(`${spec.name} did not become Ready`);
    },

    /** Publishes a model; throws with the answer unless it is 200. */
    async publish(
      namespace: string,
      model: string,
      body: object = apiKeyPublishRequest(model),
    ): Promise<void> {
      const published = await api.put(
        `/models/local/${namespace}/${model}/publication`,
        body,
      );
      if (published.status !== 200) {
        throw new Error(
          `publish ${model}: ${published.status} ${JSON.stringify(
            published.body,
          )}`,
        );
      }
    },
  };
  return api;
}
