import { publication } from '../../__testUtils__/fixtures';
import { buildSnippets } from './buildSnippets';

/** The code of each snippet for a publication like the given one, by snippet id. */
const snippetsFor = (overrides: Parameters<typeof publication>[0] = {}) =>
  Object.fromEntries(
    buildSnippets(publication(overrides)).map(s => [s.id, s.code]),
  );

/** Each snippet (by id) contains each of its fragments. */
function expectFragments(
  code: Record<string, string>,
  fragments: Record<string, string[]>,
) {
  for (const [id, expected] of Object.entries(fragments)) {
    for (const fragment of expected) expect(code[id]).toContain(fragment);
  }
}

describe('buildSnippets', () => {
  it('calls predictive models at the v1 and v2 paths with the key in x-api-key', () => {
    const code = snippetsFor();
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
    expectFragments(code, {
      'curl-v2': [
        `"${endpoint}/v2/models/sklearn-iris/infer"`,
        '"inputs":[{"name":"input-0","shape":[2,4],"datatype":"FP32"',
      ],
      'python-requests': [
        `"${endpoint}/v1/models/sklearn-iris:predict"`,
        'headers={"x-api-key": os.environ["INFERENCE_API_KEY"]}',
      ],
      'javascript-fetch': ["'x-api-key': process.env.INFERENCE_API_KEY"],
    });
    expect(Object.keys(code)).not.toContain('python-openai');
  });

  it('uses the endpoint as the OpenAI base URL and the key as the API key when JWT is off', () => {
    const code = snippetsFor({
      modelType: 'openai',
      model: 'qwen-chat',
      publicModelName: 'qwen',
      endpoint: 'https://api.router.inference-in-a-box/v1',
    });
    expectFragments(code, {
      curl: [
        '"https://api.router.inference-in-a-box/v1/chat/completions"',
        '-H "Authorization: Bearer $INFERENCE_API_KEY"',
        '"model":"qwen"',
      ],
      'python-openai': [
        'base_url="https://api.router.inference-in-a-box/v1"',
        'api_key=os.environ["INFERENCE_API_KEY"]',
      ],
      'javascript-openai': [
        "baseURL: 'https://api.router.inference-in-a-box/v1'",
        "model: 'qwen'",
      ],
    });
  });

  it('sends the JWT as the bearer token and the key in x-api-key when JWT is on', () => {
    const code = snippetsFor({
      modelType: 'openai',
      publicModelName: 'qwen',
      endpoint: 'https://h/v1',
      auth: { apiKey: true, jwt: true },
    });
    expectFragments(code, {
      curl: [
        '-H "Authorization: Bearer $INFERENCE_JWT"',
        '-H "x-api-key: $INFERENCE_API_KEY"',
      ],
      'python-openai': [
        'api_key=os.environ["INFERENCE_JWT"]',
        'default_headers={"x-api-key": os.environ["INFERENCE_API_KEY"]}',
      ],
      'javascript-openai': [
        "defaultHeaders: { 'x-api-key': process.env.INFERENCE_API_KEY }",
      ],
    });
  });
});
