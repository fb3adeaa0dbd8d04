import type { PublicationSummary } from '@inference-in-a-box/backstage-plugin-inference-common';
import { IRIS_INSTANCES } from '../TestConsoleContent/testPresets';

/** A copy-paste example of calling a publication. */
export interface Snippet {
  id: string;
  label: string;
  /** For syntax highlighting. */
  language: 'bash' | 'python' | 'javascript';
  code: string;
}

/** Environment variables the snippets read, so they work as written once these are set. */
export const API_KEY_VARIABLE = 'INFERENCE_API_KEY';
export const JWT_VARIABLE = 'INFERENCE_JWT';

type SnippetTarget = Pick<
  PublicationSummary,
  'endpoint' | 'model' | 'modelType' | 'publicModelName' | 'auth'
>;

const json = (value: unknown) => JSON.stringify(value);
const pretty = (value: unknown, indent: string) =>
  JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`);

const V1_BODY = { instances: IRIS_INSTANCES };
const V2_BODY = {
  inputs: [
    { name: 'input-0', shape: [2, 4], datatype: 'FP32', data: IRIS_INSTANCES },
  ],
};

/**
 * Headers a request needs. The key always works in `x-api-key`. Without JWT it is also accepted as
 * `Authorization: Bearer <key>`, which is what the OpenAI SDKs send; with JWT on, `Authorization`
 * carries the token and the key must go in `x-api-key`.
 */
function curlAuthHeaders(target: SnippetTarget): string[] {
  if (target.auth.jwt) {
    return [
      `-H "Authorization: Bearer $${JWT_VARIABLE}"`,
      `-H "x-api-key: $${API_KEY_VARIABLE}"`,
    ];
  }
  return target.modelType === 'openai'
    ? [`-H "Authorization: Bearer $${API_KEY_VARIABLE}"`]
    : [`-H "x-api-key: $${API_KEY_VARIABLE}"`];
}

function curl(url: string, target: SnippetTarget, body: unknown): string {
  const lines = [
    `curl -sS "${url}"`,
    ...curlAuthHeaders(target),
    `-H "Content-Type: application/json"`,
    `-d '${json(body)}'`,
  ];
  return lines.join(' \\\n  ');
}

function pythonHeaders(target: SnippetTarget): string {
  const entries = [`"x-api-key": os.environ["${API_KEY_VARIABLE}"]`];
  if (target.auth.jwt) {
    entries.unshift(
      `"Authorization": f"Bearer {os.environ['${JWT_VARIABLE}']}"`,
    );
  }
  return `{${entries.join(', ')}}`;
}

function pythonRequests(
  url: string,
  target: SnippetTarget,
  body: unknown,
  print: string,
): string {
  return `import os

import requests

response = requests.post(
    "${url}",
    headers=${pythonHeaders(target)},
    json=${pretty(body, '    ')},
    timeout=60,
)
response.raise_for_status()
print(${print})
`;
}

function jsHeaders(target: SnippetTarget): string {
  const entries = [
    `'Content-Type': 'application/json'`,
    `'x-api-key': process.env.${API_KEY_VARIABLE}`,
  ];
  if (target.auth.jwt) {
    entries.push(`Authorization: \`Bearer \${process.env.${JWT_VARIABLE}}\``);
  }
  return `{\n    ${entries.join(',\n    ')},\n  }`;
}

function jsFetch(
  url: string,
  target: SnippetTarget,
  body: unknown,
  print: string,
): string {
  return `// Node.js 18 or later, as an ES module (e.g. call.mjs)
const response = await fetch('${url}', {
  method: 'POST',
  headers: ${jsHeaders(target)},
  body: JSON.stringify(${pretty(body, '  ')}),
});
if (!response.ok) {
  throw new Error(\`\${response.status}: \${await response.text()}\`);
}
const result = await response.json();
console.log(${print});
`;
}

function chatBody(target: SnippetTarget) {
  return {
    model: target.publicModelName,
    messages: [{ role: 'user', content: 'Hello! What can you do?' }],
    max_tokens: 100,
  };
}

function openAiPython(target: SnippetTarget): string {
  const credentials = target.auth.jwt
    ? `    # With JWT on, the SDK's api_key carries the token; the API key goes in x-api-key.
    api_key=os.environ["${JWT_VARIABLE}"],
    default_headers={"x-api-key": os.environ["${API_KEY_VARIABLE}"]},`
    : `    api_key=os.environ["${API_KEY_VARIABLE}"],`;
  return `import os

from openai import OpenAI

client = OpenAI(
    base_url="${target.endpoint}",
${credentials}
)
completion = client.chat.completions.create(
    model="${target.publicModelName}",
    messages=[{"role": "user", "content": "Hello! What can you do?"}],
    max_tokens=100,
)
print(completion.choices[0].message.content)
`;
}

function openAiJavaScript(target: SnippetTarget): string {
  const credentials = target.auth.jwt
    ? `  // With JWT on, apiKey carries the token; the API key goes in x-api-key.
  apiKey: process.env.${JWT_VARIABLE},
  defaultHeaders: { 'x-api-key': process.env.${API_KEY_VARIABLE} },`
    : `  apiKey: process.env.${API_KEY_VARIABLE},`;
  return `// npm install openai; Node.js 18 or later, as an ES module (e.g. chat.mjs)
import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: '${target.endpoint}',
${credentials}
});
const completion = await client.chat.completions.create({
  model: '${target.publicModelName}',
  messages: [{ role: 'user', content: 'Hello! What can you do?' }],
  max_tokens: 100,
});
console.log(completion.choices[0].message.content);
`;
}

/**
 * Examples of calling a publication. Predictive models are called at
 * `<endpoint>/v1/models/<model>:predict` and `<endpoint>/v2/models/<model>/infer` (with the iris
 * sample as the body: replace it with your model's input); OpenAI-compatible models with
 * `<endpoint>` as the SDKs' base URL and the public model name in `model`.
 */
export function buildSnippets(target: SnippetTarget): Snippet[] {
  if (target.modelType === 'predictive') {
    const v1 = `${target.endpoint}/v1/models/${target.model}:predict`;
    const v2 = `${target.endpoint}/v2/models/${target.model}/infer`;
    return [
      {
        id: 'curl-v1',
        label: 'curl (v1)',
        language: 'bash',
        code: curl(v1, target, V1_BODY),
      },
      {
        id: 'curl-v2',
        label: 'curl (v2)',
        language: 'bash',
        code: curl(v2, target, V2_BODY),
      },
      {
        id: 'python-requests',
        label: 'Python (requests)',
        language: 'python',
        code: pythonRequests(
          v1,
          target,
          V1_BODY,
          'response.json()["predictions"]',
        ),
      },
      {
        id: 'javascript-fetch',
        label: 'JavaScript (fetch)',
        language: 'javascript',
        code: jsFetch(v1, target, V1_BODY, 'result.predictions'),
      },
    ];
  }
  const chatUrl = `${target.endpoint}/chat/completions`;
  return [
    {
      id: 'curl',
      label: 'curl',
      language: 'bash',
      code: curl(chatUrl, target, chatBody(target)),
    },
    {
      id: 'python-requests',
      label: 'Python (requests)',
      language: 'python',
      code: pythonRequests(
        chatUrl,
        target,
        chatBody(target),
        'response.json()["choices"][0]["message"]["content"]',
      ),
    },
    {
      id: 'python-openai',
      label: 'Python (OpenAI SDK)',
      language: 'python',
      code: openAiPython(target),
    },
    {
      id: 'javascript-fetch',
      label: 'JavaScript (fetch)',
      language: 'javascript',
      code: jsFetch(
        chatUrl,
        target,
        chatBody(target),
        'result.choices[0].message.content',
      ),
    },
    {
      id: 'javascript-openai',
      label: 'JavaScript (OpenAI SDK)',
      language: 'javascript',
      code: openAiJavaScript(target),
    },
  ];
}
