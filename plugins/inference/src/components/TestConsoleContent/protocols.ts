import type {
  ModelType,
  TestProtocol,
} from '@inference-in-a-box/backstage-plugin-inference-common';

export const PROTOCOL_LABELS: Record<TestProtocol, string> = {
  'kserve-v1': 'KServe v1 (:predict)',
  'kserve-v2': 'KServe v2 (/infer)',
  'openai-chat': 'OpenAI chat completions',
  'openai-completions': 'OpenAI completions',
  'openai-embeddings': 'OpenAI embeddings',
  'openai-models': 'OpenAI list models',
};

const PREDICTIVE: TestProtocol[] = ['kserve-v1', 'kserve-v2'];
const OPENAI: TestProtocol[] = [
  'openai-chat',
  'openai-completions',
  'openai-embeddings',
  'openai-models',
];

/** The protocols a model of this type answers; both families when the type is unknown. */
export function protocolsFor(modelType: ModelType | undefined): TestProtocol[] {
  if (modelType === 'predictive') return PREDICTIVE;
  if (modelType === 'openai') return OPENAI;
  return [...PREDICTIVE, ...OPENAI];
}

export function defaultProtocol(
  modelType: ModelType | undefined,
): TestProtocol {
  return modelType === 'openai' ? 'openai-chat' : 'kserve-v1';
}

/** Protocols whose responses can be streamed as server-sent events. */
export function isStreamable(protocol: TestProtocol): boolean {
  return protocol === 'openai-chat' || protocol === 'openai-completions';
}

/** GET requests carry no body. */
export function hasBody(protocol: TestProtocol): boolean {
  return protocol !== 'openai-models';
}
