import { InferenceServiceObject } from '../../models/types';
import {
  argValue,
  detectModelType,
  detectServingFlavor,
  openAiPathPrefix,
  servedModelName,
} from './detectModelType';

function isvc(
  predictor: InferenceServiceObject['spec']['predictor'],
  annotations?: Record<string, string>,
): InferenceServiceObject {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: 'm',
      namespace: 't',
      ...(annotations ? { annotations } : {}),
    },
    spec: { predictor },
  };
}

const hf = (args?: string[]) =>
  isvc({ model: { modelFormat: { name: 'huggingface' }, args } });
const container = (image: string, args?: string[]) =>
  isvc({ containers: [{ name: 'kserve-container', image, args }] });

describe('detectModelType', () => {
  it.each<[string, InferenceServiceObject, 'openai' | 'predictive']>([
    [
      'huggingface, no task (KServe infers it; LLMs and t5 generate)',
      hf(),
      'openai',
    ],
    [
      'huggingface --task=text_generation',
      hf(['--task=text_generation']),
      'openai',
    ],
    [
      'huggingface --task text2text_generation',
      hf(['--task', 'text2text_generation']),
      'openai',
    ],
    [
      'huggingface --task=text-generation (dashes)',
      hf(['--task=text-generation']),
      'openai',
    ],
    [
      'huggingface --task=text_embedding',
      hf(['--task=text_embedding']),
      'openai',
    ],
    [
      'huggingface --task=sequence_classification',
      hf(['--task=sequence_classification']),
      'predictive',
    ],
    ['huggingface --task=fill_mask', hf(['--task=fill_mask']), 'predictive'],
    [
      'huggingface --task=token_classification',
      hf(['--task=token_classification']),
      'predictive',
    ],
    [
      'HuggingFace format name in capitals',
      isvc({ model: { modelFormat: { name: 'HuggingFace' } } }),
      'openai',
    ],
    [
      'runtime kserve-huggingfaceserver',
      isvc({
        model: {
          modelFormat: { name: 'custom' },
          runtime: 'kserve-huggingfaceserver',
        },
      }),
      'openai',
    ],
    [
      'deprecated predictor.huggingface',
      isvc({ huggingface: { storageUri: 'hf://x/y' } }),
      'openai',
    ],
    ['vLLM container', container('vllm/vllm-openai:v0.11.0'), 'openai'],
    [
      'vLLM from a private registry',
      container('registry.local:5000/mirror/vllm-openai@sha256:abc'),
      'openai',
    ],
    [
      'TGI container',
      container('ghcr.io/huggingface/text-generation-inference:3.0'),
      'openai',
    ],
    [
      'other custom container',
      container('ghcr.io/acme/fraud-scorer:1.2'),
      'predictive',
    ],
    [
      'sklearn',
      isvc({ model: { modelFormat: { name: 'sklearn' } } }),
      'predictive',
    ],
    [
      'pytorch',
      isvc({ model: { modelFormat: { name: 'pytorch' } } }),
      'predictive',
    ],
    ['no predictor details', isvc({}), 'predictive'],
    [
      'annotation openai on sklearn',
      isvc(
        { model: { modelFormat: { name: 'sklearn' } } },
        { 'inference.platform.io/model-type': 'openai' },
      ),
      'openai',
    ],
    [
      'annotation predictive on huggingface',
      isvc(
        { model: { modelFormat: { name: 'huggingface' } } },
        { 'inference.platform.io/model-type': 'predictive' },
      ),
      'predictive',
    ],
    [
      'unknown annotation value is ignored',
      isvc(
        { model: { modelFormat: { name: 'sklearn' } } },
        { 'inference.platform.io/model-type': 'chat' },
      ),
      'predictive',
    ],
  ])('%s -> %s', (_, model, expected) => {
    expect(detectModelType(model)).toBe(expected);
  });

  it('honours the override over annotation and spec', () => {
    const annotated = isvc(
      { model: { modelFormat: { name: 'huggingface' } } },
      {
        'inference.platform.io/model-type': 'openai',
      },
    );
    expect(detectModelType(annotated, 'predictive')).toBe('predictive');
    expect(detectModelType(container('ghcr.io/acme/llm:1'), 'openai')).toBe(
      'openai',
    );
  });
});

describe('serving details of OpenAI models', () => {
  it('uses /openai/v1 for the KServe huggingface server and /v1 for plain servers', () => {
    expect(detectServingFlavor(hf())).toBe('kserve-huggingface');
    expect(openAiPathPrefix(hf())).toBe('/openai/v1');
    expect(detectServingFlavor(container('vllm/vllm-openai:latest'))).toBe(
      'openai-container',
    );
    expect(openAiPathPrefix(container('vllm/vllm-openai:latest'))).toBe('/v1');
  });

  it.each<[string, InferenceServiceObject, string]>([
    ['huggingface default', hf(), 'm'],
    ['huggingface --model_name', hf(['--model_name=llama']), 'llama'],
    [
      'vLLM --served-model-name',
      container('vllm/vllm-openai', ['--served-model-name', 'qwen', 'alias']),
      'qwen',
    ],
    [
      'vLLM --model',
      container('vllm/vllm-openai', ['--model=Qwen/Qwen2.5']),
      'Qwen/Qwen2.5',
    ],
    ['unknown', container('ghcr.io/acme/llm:1'), 'm'],
  ])('served model name: %s', (_, model, expected) => {
    expect(servedModelName(model)).toBe(expected);
  });

  it('reads flags in both forms and not a following flag as value', () => {
    expect(argValue(['--a=1'], '--a')).toBe('1');
    expect(argValue(['--a', '2'], '--a')).toBe('2');
    expect(argValue(['--a', '--b'], '--a')).toBeUndefined();
    expect(argValue(['--ab=1'], '--a')).toBeUndefined();
    expect(argValue(undefined, '--a')).toBeUndefined();
  });
});
