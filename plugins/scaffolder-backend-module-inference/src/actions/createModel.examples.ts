import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Deploy a scikit-learn model in the tenant picked in the form',
    example: stringify({
      steps: [
        {
          id: 'create',
          name: 'Create the model',
          action: 'inference:model:create',
          input: {
            tenant: '${{ parameters.tenant }}',
            spec: {
              name: '${{ parameters.name }}',
              framework: 'sklearn',
              storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model',
              minReplicas: 1,
              maxReplicas: 3,
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Deploy an OpenAI-compatible LLM on the KServe Hugging Face runtime, with resources',
    example: stringify({
      steps: [
        {
          id: 'create',
          name: 'Create the model',
          action: 'inference:model:create',
          input: {
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
        },
      ],
    }),
  },
];
