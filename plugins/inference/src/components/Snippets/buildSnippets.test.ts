import { publication } from '../../__testUtils__/fixtures';
import { buildSnippets } from './buildSnippets';

const byId = (snippets: ReturnType<typeof buildSnippets>) =>
  Object.fromEntries(snippets.map(s => [s.id, s.code]));

describe('buildSnippets', () => {
  it('calls predictive models at the v1 and v2 paths with the key in x-api-key', () => {
    const code = byId(buildSnippets(publication()));
    const endpoint =
      'https://api.router.inference-in-a-box/models/tenant-a/sklearn-iris';
    expect(code['curl-v1']).toBe(
      [
        `curl -sS "${endpoint}/v1/models/sklearn-iris:predict"`,
        '-H "x-api-key: $INFERENCE_API_KEY"',
        '-H "Content-Type: application/json"',
        `-d '{"instances":[[6.8,2.8,4.8,1.4],[6,3.4,4.5,1.6]]}'`,
      ].join(' \\\n  '),
    );
    expect(code['curl-v2']).toContain(
      `"${endpoint}/v2/models/sklearn-iris/infer"`,
    );
    expect(code['curl-v2']).toContain(
      '"inputs":[{"name":"input-0","shape":[2,4],"datatype":"FP32"',
    );
    expect(code['python-requests']).toContain(
      `"${endpoint}/v1/models/sklearn-iris:predict"`,
    );
    expect(code['python-requests']).toContain(
      'headers={"x-api-key": os.environ["INFERENCE_API_KEY"]}',
    );
    expect(code['javascript-fetch']).toContain(
      "'x-api-key': process.env.INFERENCE_API_KEY",
    );
    expect(Object.keys(code)).not.toContain('python-openai');
  });

  it('uses the endpoint as the OpenAI base URL and the key as the API key when JWT is off', () => {
    const code = byId(
      buildSnippets(
        publication({
          modelType: 'openai',
          model: 'qwen-chat',
          publicModelName: 'qwen',
          endpoint: 'https://api.router.inference-in-a-box/v1',
        }),
      ),
    );
    expect(code.curl).toContain(
      '"https://api.router.inference-in-a-box/v1/chat/completions"',
    );
    expect(code.curl).toContain(
      '-H "Authorization: Bearer $INFERENCE_API_KEY"',
    );
    expect(code.curl).toContain('"model":"qwen"');
    expect(code['python-openai']).toContain(
      'base_url="https://api.router.inference-in-a-box/v1"',
    );
    expect(code['python-openai']).toContain(
      'api_key=os.environ["INFERENCE_API_KEY"]',
    );
    expect(code['javascript-openai']).toContain(
      "baseURL: 'https://api.router.inference-in-a-box/v1'",
    );
    expect(code['javascript-openai']).toContain("model: 'qwen'");
  });

  it('sends the JWT as the bearer token and the key in x-api-key when JWT is on', () => {
    const code = byId(
      buildSnippets(
        publication({
          modelType: 'openai',
          publicModelName: 'qwen',
          endpoint: 'https://h/v1',
          auth: { apiKey: true, jwt: true },
        }),
      ),
    );
    expect(code.curl).toContain('-H "Authorization: Bearer $INFERENCE_JWT"');
    expect(code.curl).toContain('-H "x-api-key: $INFERENCE_API_KEY"');
    expect(code['python-openai']).toContain(
      'api_key=os.environ["INFERENCE_JWT"]',
    );
    expect(code['python-openai']).toContain(
      'default_headers={"x-api-key": os.environ["INFERENCE_API_KEY"]}',
    );
    expect(code['javascript-openai']).toContain(
      "defaultHeaders: { 'x-api-key': process.env.INFERENCE_API_KEY }",
    );
  });
});
