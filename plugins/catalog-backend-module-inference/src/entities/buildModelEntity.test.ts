import { buildModelEntity } from './buildModelEntity';
import { DiscoveredModel } from '../discovery/types';

const tenant = {
  name: 'tenant-a',
  namespace: 'tenant-a',
  cluster: 'local',
  ref: 'group:default/tenant-a',
} as DiscoveredModel['tenant'];

const entityOf = (labels?: Record<string, string>) =>
  buildModelEntity({
    model: {
      tenant,
      isvc: {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name: 'iris', namespace: 'tenant-a', labels },
      },
    },
    name: 'iris',
    system: 'inference-platform',
  });

describe('the Kubernetes tab selector of a model', () => {
  it("selects by the portal's model label when the InferenceService carries it, so the tab also finds the InferenceService and its publication", () => {
    expect(
      entityOf({ 'inference.platform.io/model': 'iris' }).metadata
        .annotations?.['backstage.io/kubernetes-label-selector'],
    ).toBe('inference.platform.io/model=iris');
  });

  it("falls back to KServe's own pod label for an InferenceService made elsewhere", () => {
    expect(
      entityOf().metadata.annotations?.[
        'backstage.io/kubernetes-label-selector'
      ],
    ).toBe('serving.kserve.io/inferenceservice=iris');
  });
});
