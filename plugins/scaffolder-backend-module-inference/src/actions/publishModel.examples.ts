import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish the model created by the previous step, with request limits',
    example: stringify({
      steps: [
        {
          id: 'publish',
          name: 'Publish',
          action: 'inference:model:publish',
          input: {
            model: '${{ steps.create.output.model }}',
            publication: {
              publicModelName: '${{ parameters.name }}',
              auth: { apiKey: true },
              limits: { requestsPerMinute: 60, requestsPerHour: 3600 },
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Publish an OpenAI-compatible model on a custom hostname, with JWT and a token budget',
    example: stringify({
      steps: [
        {
          id: 'publish',
          name: 'Publish',
          action: 'inference:model:publish',
          input: {
            model: {
              cluster: 'local',
              namespace: 'tenant-a',
              name: 'qwen-chat',
            },
            publication: {
              publicModelName: 'qwen-chat',
              hostname: 'llm.inference-in-a-box',
              auth: { apiKey: true, jwt: true },
              limits: {
                requestsPerMinute: 60,
                requestsPerHour: 3600,
                tokensPerHour: 100000,
              },
            },
          },
        },
      ],
    }),
  },
];
