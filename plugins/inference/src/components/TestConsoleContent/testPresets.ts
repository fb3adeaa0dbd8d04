import type { TestProtocol } from '@inference-in-a-box/backstage-plugin-inference-common';

/** A ready-made request body for the test console (docs/architecture.md, "Defaults"). */
export interface TestPreset {
  id: string;
  label: string;
  protocol: TestProtocol;
  /** Undefined for requests without a body (`GET /v1/models`). */
  body: (model: string) => unknown;
}

/** Two iris flowers, the sample the sklearn iris model is known by. */
export const IRIS_INSTANCES = [
  [6.8, 2.8, 4.8, 1.4],
  [6.0, 3.4, 4.5, 1.6],
];

export const TEST_PRESETS: TestPreset[] = [
  {
    id: 'iris-v1',
    label: 'Iris (KServe v1)',
    protocol: 'kserve-v1',
    body: () => ({ instances: IRIS_INSTANCES }),
  },
  {
    id: 'iris-v2',
    label: 'Iris (KServe v2)',
    protocol: 'kserve-v2',
    body: () => ({
      inputs: [
        {
          name: 'input-0',
          shape: [2, 4],
          datatype: 'FP32',
          data: IRIS_INSTANCES,
        },
      ],
    }),
  },
  {
    id: 'simple-chat',
    label: 'Simple chat',
    protocol: 'openai-chat',
    body: model => ({
      model,
      messages: [{ role: 'user', content: 'Hello! What can you do?' }],
      max_tokens: 100,
      temperature: 0.7,
    }),
  },
  {
    id: 'system-prompt',
    label: 'System prompt',
    protocol: 'openai-chat',
    body: model => ({
      model,
      messages: [
        {
          role: 'system',
          content:
            'You are a concise technical assistant. Answer in at most three sentences.',
        },
        { role: 'user', content: 'What does an inference gateway do?' },
      ],
      max_tokens: 200,
      temperature: 0.3,
    }),
  },
  {
    id: 'creative-writing',
    label: 'Creative writing',
    protocol: 'openai-chat',
    body: model => ({
      model,
      messages: [
        {
          role: 'user',
          content: 'Write a short poem about a container ship at dawn.',
        },
      ],
      max_tokens: 300,
      temperature: 0.9,
    }),
  },
  {
    id: 'completion',
    label: 'Completion',
    protocol: 'openai-completions',
    body: model => ({
      model,
      prompt: 'Once upon a time',
      max_tokens: 50,
      temperature: 0.7,
    }),
  },
  {
    id: 'embedding',
    label: 'Embedding',
    protocol: 'openai-embeddings',
    body: model => ({
      model,
      input: 'The quick brown fox jumps over the lazy dog',
    }),
  },
  {
    id: 'list-models',
    label: 'List models',
    protocol: 'openai-models',
    body: () => undefined,
  },
];

export const presetsFor = (protocol: TestProtocol) =>
  TEST_PRESETS.filter(p => p.protocol === protocol);

/** The body a preset gives, as the editor shows it (empty for body-less requests). */
export function presetText(preset: TestPreset, model: string): string {
  const body = preset.body(model);
  return body === undefined ? '' : JSON.stringify(body, null, 2);
}
