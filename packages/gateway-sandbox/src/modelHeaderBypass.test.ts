import { sendToGateway } from './__testUtils__/gatewayClient';
import { Harness, startHarness } from './__testUtils__/harness';
import {
  PublicationShape,
  loadGolden,
  openAiPublication,
} from './__testUtils__/kubeObjects';

/**
 * Two OpenAI publications. AI Gateway's ext_proc runs after api_key_auth and
 * re-selects the route from the body's model, so on ONE shared hostname the
 * key of A can reach B; each on its own hostname (the portal's current
 * shape), it cannot.
 */
describe('x-ai-eg-model re-routing after authentication', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  /** A chat completion with an API key, a body model and maybe the header. */
  const ask = (
    host: string,
    apiKey: string,
    bodyModel: string,
    headerModel?: string,
  ) =>
    sendToGateway(harness.gateway.url, {
      host,
      path: '/v1/chat/completions',
      headers: {
        'x-api-key': apiKey,
        ...(headerModel ? { 'x-ai-eg-model': headerModel } : {}),
      },
      body: { model: bodyModel, messages: [{ role: 'user', content: 'hi' }] },
    });

  // The objects the portal wrote before bb84af9 (issue 13): the golden OpenAI publication with every
  // AIGatewayRoute on the default hostname (that golden differed from today's only in its hostname
  // and the AuthorizationPolicy principal, which the double does not read).
  describe('both AIGatewayRoutes on one hostname (old shape)', () => {
    const shared = 'api.router.inference-in-a-box';
    const a: PublicationShape = {
      namespace: 'old-a',
      name: 'pub-a',
      hostname: shared,
      model: 'model-a',
      apiKey: 'sk-old-a',
    };
    const b: PublicationShape = {
      namespace: 'old-b',
      name: 'pub-b',
      hostname: shared,
      model: 'model-b',
      apiKey: 'sk-old-b',
    };
    beforeAll(async () => {
      await harness.publish([...openAiPublication(a), ...openAiPublication(b)]);
    });

    it("lets A's key reach B when the header says A and the body says B", async () => {
      const response = await ask(shared, a.apiKey, 'model-b', 'model-a');
      expect(response.status).toBe(200);
      expect(response.text).toContain('Mock reply from pub-b: hi');
    });

    it("refuses A's key when the header names B (B's route, B's policy)", async () => {
      const response = await ask(shared, a.apiKey, 'model-b', 'model-b');
      expect(response.status).toBe(401);
    });
  });

  describe('each AIGatewayRoute on its own hostname (current shape)', () => {
    const a: PublicationShape = {
      namespace: 'new-a',
      name: 'pub-c',
      hostname: 'pub-c-new-a.inference-in-a-box',
      model: 'model-c',
      apiKey: 'sk-new-a',
    };
    const b: PublicationShape = {
      namespace: 'new-b',
      name: 'pub-d',
      hostname: 'pub-d-new-b.inference-in-a-box',
      model: 'model-d',
      apiKey: 'sk-new-b',
    };
    beforeAll(async () => {
      await harness.publish([...openAiPublication(a), ...openAiPublication(b)]);
    });

    it("answers 401 to A's key on B's hostname", async () => {
      const response = await ask(b.hostname, a.apiKey, 'model-d', 'model-d');
      expect(response.status).toBe(401);
    });

    it("answers AI Gateway's 404 to body model B on A's hostname", async () => {
      const response = await ask(a.hostname, a.apiKey, 'model-d', 'model-c');
      expect(response.status).toBe(404);
      expect(response.text).toBe(
        'No matching route found. It is likely because the model specified in your request is not configured in the Gateway.',
      );
    });

    it("still serves A's own model on A's hostname", async () => {
      const response = await ask(a.hostname, a.apiKey, 'model-c');
      expect(response.status).toBe(200);
      expect(response.text).toContain('Mock reply from pub-c: hi');
    });

    it("answers ext_proc's 404 for a path it has no processor for", async () => {
      const response = await sendToGateway(harness.gateway.url, {
        host: a.hostname,
        path: '/v1/unknown?x=1',
        headers: { 'x-api-key': a.apiKey },
        body: { model: 'model-c', messages: [] },
      });
      expect(response.status).toBe(404);
      expect(response.text).toBe('unsupported path: /v1/unknown?x=1');
    });
  });

  it('refuses (500) routes whose SecurityPolicy uses a feature the double lacks', async () => {
    const objects = JSON.parse(
      JSON.stringify(loadGolden('predictive-jwt.yaml')).replaceAll(
        'tenant-a',
        'basic-auth-tenant',
      ),
    );
    const policy = objects.find((o: any) => o.kind === 'SecurityPolicy');
    policy.spec.basicAuth = { users: { name: 'htpasswd' } };
    await harness.publish(objects);
    const key = Buffer.from(
      objects.find((o: any) => o.kind === 'Secret').data['ci-7k2p'],
      'base64',
    ).toString();
    const response = await sendToGateway(harness.gateway.url, {
      host: 'api.router.inference-in-a-box',
      path: '/models/basic-auth-tenant/sklearn-iris/v1/models/sklearn-iris:predict',
      headers: { 'x-api-key': key },
      body: { instances: [[6.8, 2.8, 4.8, 1.4]] },
    });
    expect(response.status).toBe(500);
    expect(response.text).toMatch(
      /uses basicAuth, which this test double does not support yet/,
    );
  });
});
