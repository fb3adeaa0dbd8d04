import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { isModelEntity } from '@inference-in-a-box/backstage-plugin-inference-common';

/** Everything below shows on model entities only (`-common`'s one definition of a model). */

export const modelStatusCard = EntityCardBlueprint.make({
  name: 'model-status',
  params: {
    filter: isModelEntity,
    loader: () =>
      import('../components/ModelStatusCard').then(m => <m.ModelStatusCard />),
  },
});

export const modelEndpointContent = EntityContentBlueprint.make({
  name: 'endpoint',
  params: {
    path: '/endpoint',
    title: 'Endpoint',
    filter: isModelEntity,
    loader: () =>
      import('../components/EndpointContent').then(m => <m.EndpointContent />),
  },
});

export const modelTestContent = EntityContentBlueprint.make({
  name: 'test',
  params: {
    path: '/test',
    title: 'Test',
    filter: isModelEntity,
    loader: () =>
      import('../components/TestConsoleContent').then(m => (
        <m.TestConsoleContent />
      )),
  },
});

export const modelRolloutContent = EntityContentBlueprint.make({
  name: 'rollout',
  params: {
    path: '/rollout',
    title: 'Rollout',
    filter: isModelEntity,
    loader: () =>
      import('../components/RolloutContent').then(m => <m.RolloutContent />),
  },
});

export const modelHistoryContent = EntityContentBlueprint.make({
  name: 'history',
  params: {
    path: '/history',
    title: 'History',
    filter: isModelEntity,
    loader: () =>
      import('../components/HistoryContent').then(m => <m.HistoryContent />),
  },
});

export const modelUsageContent = EntityContentBlueprint.make({
  name: 'usage',
  params: {
    path: '/usage',
    title: 'Usage',
    filter: isModelEntity,
    loader: () =>
      import('../components/UsageContent').then(m => <m.UsageContent />),
  },
});
