import { InputError } from '@backstage/errors';
import type {
  ModelType,
  TestProtocol,
} from '@inference-in-a-box/backstage-plugin-inference-common';

const OPENAI_PATHS: Partial<
  Record<TestProtocol, { method: 'GET' | 'POST'; path: string }>
> = {
  'openai-chat': { method: 'POST', path: '/v1/chat/completions' },
  'openai-completions': { method: 'POST', path: '/v1/completions' },
  'openai-embeddings': { method: 'POST', path: '/v1/embeddings' },
  'openai-models': { method: 'GET', path: '/v1/models' },
};

export interface InvocationTarget {
  method: 'GET' | 'POST';
  /** Path relative to the chosen base URL, always starting with `/`. */
  path: string;
}

/**
 * The request path for a protocol. Paths are built from validated names only (DNS labels), never
 * from request text, so a test invocation cannot be steered to another path or host.
 */
export function invocationPath(options: {
  protocol: TestProtocol;
  modelType: ModelType;
  /** Model name the server knows the model by (the InferenceService name). */
  model: string;
  /** Through the gateway, predictive models live under /models/<tenant>/<model>. */
  gatewayPrefix?: string;
  /** In-cluster, OpenAI routes of the KServe Hugging Face runtime sit under /openai. */
  openaiPrefix?: string;
}): InvocationTarget {
  const { protocol, modelType, model } = options;
  const openai = OPENAI_PATHS[protocol];
  if (openai) {
    if (modelType !== 'openai') {
      throw new InputError(
        `protocol: ${protocol} needs an OpenAI-compatible model; this model is predictive`,
      );
    }
    return {
      method: openai.method,
      path: `${options.openaiPrefix ?? ''}${openai.path}`,
    };
  }
  if (modelType !== 'predictive') {
    throw new InputError(
      `protocol: ${protocol} needs a predictive (KServe v1/v2) model; this model is OpenAI-compatible`,
    );
  }
  const prefix = options.gatewayPrefix ?? '';
  return protocol === 'kserve-v1'
    ? { method: 'POST', path: `${prefix}/v1/models/${model}:predict` }
    : { method: 'POST', path: `${prefix}/v2/models/${model}/infer` };
}
