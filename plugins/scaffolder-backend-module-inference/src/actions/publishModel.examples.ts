import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { oneStepExample } from './templateExample';

const step = {
  id: 'publish',
  name: 'Publish',
  action: 'inference:model:publish',
};

export const examples: TemplateExample[] = [
  oneStepExample(
    'Publish the model created by the previous step, with request limits',
    step,
    {
      model: '${{ steps.create.output.model }}',
      publication: {
        publicModelName: '${{ parameters.name }}',
        auth: { apiKey: true },
        limits: { requestsPerMinute: 60, requestsPerHour: 3600 },
      },
    },
  ),
  oneStepExample(
    'Publish an OpenAI-compatible model on a custom hostname, with JWT and a token budget',
    step,
    {
      model: { cluster: 'local', namespace: 'tenant-a', name: 'qwen-chat' },
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
  ),
];
