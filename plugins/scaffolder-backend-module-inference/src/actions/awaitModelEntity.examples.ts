import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Wait for the new model (and its API, when it was published) to be in the catalog',
    example: stringify({
      steps: [
        {
          id: 'register',
          name: 'Register',
          action: 'inference:model:awaitEntity',
          input: {
            model: '${{ steps.create.output.model }}',
            published: '${{ parameters.publish }}',
          },
        },
      ],
      output: {
        links: [
          {
            title: 'Open the model',
            entityRef: '${{ steps.register.output.entityRef }}',
          },
        ],
      },
    }),
  },
];
