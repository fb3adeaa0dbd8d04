import { InferenceServiceObject } from '../../models/types';
import { PublicationInput } from './types';
import { envoyProxyPrincipal } from './envoyProxyPrincipal';

/** Objects and inputs shared by the publication tests (sample models of docs/architecture.md, "Defaults"). */

export const llamaIsvc: InferenceServiceObject = {
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: {
    name: 'llama31-8b',
    namespace: 'tenant-b',
    annotations: { 'serving.kserve.io/deploymentMode': 'Standard' },
  },
  spec: {
    predictor: {
      model: {
        modelFormat: { name: 'huggingface' },
        storageUri: 'hf://meta-llama/Llama-3.1-8B-Instruct',
        args: ['--model_name=llama31-8b'],
      },
    },
  },
};

export const vllmIsvc: InferenceServiceObject = {
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'qwen', namespace: 'tenant-b' },
  spec: {
    predictor: {
      containers: [
        {
          name: 'kserve-container',
          image: 'vllm/vllm-openai:v0.11.0',
          args: [
            '--model=Qwen/Qwen2.5-0.5B-Instruct',
            '--served-model-name=qwen2.5-0.5b',
            '--port=8080',
          ],
        },
      ],
    },
  },
};

export const irisIsvc: InferenceServiceObject = {
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'sklearn-iris', namespace: 'tenant-a' },
  spec: {
    predictor: {
      model: {
        modelFormat: { name: 'sklearn' },
        storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model',
      },
    },
  },
};

export const platform: PublicationInput['platform'] = {
  gatewayName: 'ai-inference-gateway',
  gatewayNamespace: 'envoy-gateway-system',
  defaultHostname: 'api.router.inference-in-a-box',
  openAiDomain: 'inference-in-a-box',
  allowedHostnames: ['*.inference-in-a-box'],
  gatewayPrincipals: [
    envoyProxyPrincipal({
      name: 'ai-inference-gateway',
      namespace: 'envoy-gateway-system',
    }),
  ],
  jwt: {
    issuer: 'https://auth.inference-in-a-box/realms/platform',
    jwksUri:
      'https://auth.inference-in-a-box/realms/platform/protocol/openid-connect/certs',
    audiences: ['inference-gateway'],
  },
};

export const apiKeys: PublicationInput['apiKeys'] = [
  {
    id: 'ci-7k2p',
    name: 'ci',
    value: 'sk-inf-0123456789abcdefghijklmnopqrstuvwxyzABCD',
    createdAt: '2026-11-20T10:00:00.000Z',
  },
  {
    id: 'laptop-9x4q',
    name: 'laptop',
    value: 'sk-inf-ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxw',
    createdAt: '2026-11-21T10:00:00.000Z',
    expiresAt: '2026-11-28T10:00:00.000Z',
  },
];

export function openAiInput(
  overrides: Partial<PublicationInput> = {},
): PublicationInput {
  return {
    tenant: 'tenant-b',
    namespace: 'tenant-b',
    model: { name: 'llama31-8b', isvc: llamaIsvc },
    request: {
      publicModelName: 'llama-3.1-8b',
      auth: { apiKey: true },
      limits: {
        requestsPerMinute: 60,
        requestsPerHour: 3600,
        tokensPerHour: 100000,
      },
    },
    modelType: 'openai',
    platform,
    apiKeys,
    ...overrides,
  };
}

export function predictiveInput(
  overrides: Partial<PublicationInput> = {},
): PublicationInput {
  return {
    tenant: 'tenant-a',
    namespace: 'tenant-a',
    model: { name: 'sklearn-iris', isvc: irisIsvc },
    request: {
      publicModelName: 'sklearn-iris',
      auth: { apiKey: true },
      limits: { requestsPerMinute: 60, requestsPerHour: 3600 },
    },
    modelType: 'predictive',
    platform,
    apiKeys: apiKeys.slice(0, 1),
    ...overrides,
  };
}

/** The vLLM container published with JWT on an allowed custom hostname; public name = served name. */
export function vllmJwtInput(
  limits: PublicationInput['request']['limits'],
): PublicationInput {
  return openAiInput({
    model: { name: 'qwen', isvc: vllmIsvc },
    request: {
      publicModelName: 'qwen2.5-0.5b',
      hostname: 'llm.inference-in-a-box',
      auth: { apiKey: true, jwt: true },
      limits,
    },
  });
}

/** The InferenceService of a blue-green candidate of `isvc` (the rollout's naming). */
export function candidateOf(
  isvc: InferenceServiceObject,
): InferenceServiceObject {
  return {
    ...isvc,
    metadata: { ...isvc.metadata, name: `${isvc.metadata.name}-canary` },
  };
}
