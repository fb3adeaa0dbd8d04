import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { oneStepExample } from './templateExample';

const step = {
  id: 'rollout',
  name: 'Roll out',
  action: 'inference:model:rollout',
};

export const examples: TemplateExample[] = [
  oneStepExample('Roll a new model file out to 10 % of the traffic', step, {
    model: { cluster: 'local', namespace: 'tenant-a', name: 'iris' },
    operation: {
      action: 'start',
      version: {
        storageUri: 'gs://models/iris/v2',
        canaryTrafficPercent: 10,
      },
    },
  }),
  oneStepExample('Promote the new version to all traffic', step, {
    model: { cluster: 'local', namespace: 'tenant-a', name: 'iris' },
    operation: { action: 'promote' },
  }),
];
