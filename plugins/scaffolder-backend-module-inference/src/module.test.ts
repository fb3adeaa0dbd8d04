import { startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { parse } from 'yaml';
import { scaffolderModuleInference } from './module';

describe('scaffolderModuleInference', () => {
  it('registers the three actions, each with dry run support and examples that use it', async () => {
    const actions: TemplateAction[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...added: TemplateAction[]) => actions.push(...added),
          },
        ],
      ],
      features: [scaffolderModuleInference, catalogServiceMock.factory()],
    });

    expect(actions.map(a => a.id)).toEqual([
      'inference:model:create',
      'inference:model:publish',
      'inference:model:rollout',
      'inference:model:awaitEntity',
    ]);
    for (const action of actions) {
      expect(action.supportsDryRun).toBe(true);
      expect(action.examples?.length).toBeGreaterThan(0);
      for (const { example } of action.examples ?? []) {
        const steps = parse(example).steps as Array<{ action: string }>;
        expect(steps.map(s => s.action)).toContain(action.id);
      }
    }
  });
});
