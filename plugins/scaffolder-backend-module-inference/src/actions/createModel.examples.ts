import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { oneStepExample } from './templateExample';

const step = {
  id: 'create',
  name: 'Create the model',
  action: 'inference:model:create',
};

export const examples: TemplateExample[] = [
  oneStepExample(
    'Deploy a scikit-learn model in the tenant picked in the form',
    step,
    {
      tenant: '${{ parameters.tenant }}',
      spec: {
        name: '${{ parameters.name }}',
        framework: 'sklearn',
        storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model',
        minReplicas: 1,
        maxReplicas: 3,
      },
    },
  ),
  oneStepExample(
    'Deploy an OpenAI-compatible LLM on the KServe Hugging Face runtime, with resources',
    step,
    {
      tenant: 'group:default/tenant-a',
      spec: {
        name: 'qwen-chat',
        framework: 'huggingface',
        storageUri: 'hf://Qwen/Qwen2.5-0.5B-Instruct',
        args: ['--task=text_generation'],
        modelType: 'openai',
        resources: {
          requests: { cpu: '2', memory: '4Gi' },
          limits: { cpu: '4', memory: '8Gi' },
          gpu: 1,
        },
      },
    },
  ),
];
