import { KubeObject } from './objects/types';
import { sendToGateway } from './__testUtils__/gatewayClient';
import { Harness, startHarness } from './__testUtils__/harness';
import { replaceObject } from './__testUtils__/kubeApi';
import { decodedSecretKeys, loadGolden } from './__testUtils__/kubeObjects';

/**
 * The portal's two publication shapes (golden YAMLs) through the double:
 * API-key auth on the selected route, then the mock model's answer.
 */
describe('published models behind the gateway double', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  const cases: Array<{
    name: string;
    file: string;
    request: { host: string; path: string; body: unknown };
    answer: RegExp;
  }> = [
    {
      name: 'OpenAI (AIGatewayRoute)',
      file: 'openai-huggingface.yaml',
      request: {
        host: 'llama31-8b-tenant-b.inference-in-a-box',
        path: '/v1/chat/completions',
        body: {
          model: 'llama-3.1-8b',
          messages: [{ role: 'user', content: 'hello' }],
        },
      },
      // modelNameOverride (llama31-8b) reached the model server.
      answer: /Mock reply from llama31-8b: hello/,
    },
    {
      name: 'predictive (HTTPRoute)',
      file: 'predictive.yaml',
      request: {
        host: 'api.router.inference-in-a-box',
        path: '/models/tenant-a/sklearn-iris/v1/models/sklearn-iris:predict',
        body: { instances: [[6.8, 2.8, 4.8, 1.4]] },
      },
      answer: /"predictions":\[\d\]/,
    },
  ];

  describe.each(cases)('$name', ({ file, request, answer }) => {
    let objects: KubeObject[];
    let keys: Array<[string, string]>;
    beforeAll(async () => {
      objects = loadGolden(file);
      keys = Object.entries(decodedSecretKeys(objects));
      await harness.publish(objects);
    });
    const send = (headers: Record<string, string> = {}) =>
      sendToGateway(harness.gateway.url, { ...request, headers });

    it('answers 401 with Envoy api_key_auth body without a key', async () => {
      const response = await send();
      expect(response.status).toBe(401);
      expect(response.text).toBe('Client authentication failed.');
      expect(response.headers['www-authenticate']).toBeUndefined();
    });

    it('answers 401 for an unknown key', async () => {
      expect((await send({ 'x-api-key': 'sk-not-a-key' })).status).toBe(401);
    });

    it('lets a valid x-api-key through to the model', async () => {
      const response = await send({ 'x-api-key': keys[0][1] });
      expect(response.status).toBe(200);
      expect(response.text).toMatch(answer);
    });

    it('accepts the key as Authorization: Bearer (the policy extracts from authorization)', async () => {
      const response = await send({ authorization: `Bearer ${keys[0][1]}` });
      expect(response.status).toBe(200);
      expect(response.text).toMatch(answer);
    });

    it('refuses a key removed from the Secret within 2 s', async () => {
      const secret = objects.find(o => o.kind === 'Secret')!;
      const [removedClient, removedKey] = keys[0];
      expect((await send({ 'x-api-key': removedKey })).status).toBe(200);
      await replaceObject(harness.kube.url, secret, current => {
        const data = { ...current.data };
        delete data[removedClient];
        return { ...current, data };
      });
      const deadline = Date.now() + 2000;
      let status = 200;
      while (Date.now() < deadline && status !== 401) {
        status = (await send({ 'x-api-key': removedKey })).status;
        if (status !== 401) await new Promise(r => setTimeout(r, 50));
      }
      expect(status).toBe(401);
    });
  });
});
