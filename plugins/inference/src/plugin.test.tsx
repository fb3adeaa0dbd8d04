import { screen } from '@testing-library/react';
import {
  ApiBlueprint,
  coreExtensionData,
  type DiscoveryApi,
  type FetchApi,
} from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { fakeInferenceApi } from './__testUtils__/fakeInferenceApi';
import { inferenceApi } from './extensions/api';
import {
  modelEndpointContent,
  modelHistoryContent,
  modelRolloutContent,
  modelStatusCard,
  modelTestContent,
  modelUsageContent,
} from './extensions/entity';
import { clusterOverview, modelEntity } from './__testUtils__/fixtures';
import {
  inferencePageTester,
  renderInferencePage,
} from './__testUtils__/render';

describe('inference plugin', () => {
  it('mounts the Inference page at /inference with the Models, Tenants, Publications and, for platform admins, Platform tabs', async () => {
    const tester = inferencePageTester();
    expect(tester.get(coreExtensionData.routePath)).toBe('/inference');
    expect(tester.get(coreExtensionData.title)).toBe('Inference');
    await renderInferencePage({ route: '/models', admin: true });
    // The Models tab is the one shown.
    expect(await screen.findByText('No models yet.')).toBeInTheDocument();
    for (const [tab, href] of [
      ['Models', '/models'],
      ['Tenants', '/tenants'],
      ['Publications', '/publications'],
      ['Platform', '/platform'],
    ]) {
      // The header's tabs render after the permission checks that decide which are shown.
      expect(await screen.findByRole('tab', { name: tab })).toHaveAttribute(
        'href',
        href,
      );
    }
  });

  it('shows platform admins the platform overview in the Platform tab', async () => {
    const api = fakeInferenceApi({
      getPlatformOverview: jest.fn(async () => ({
        clusters: [clusterOverview({ cluster: 'edge' })],
      })),
    });
    await renderInferencePage({ route: '/platform', admin: true, api });
    expect(
      await screen.findByRole('tab', { name: 'Platform' }),
    ).toHaveAttribute('aria-selected', 'true');
    expect(
      await screen.findByRole('region', { name: 'Cluster edge' }),
    ).toBeInTheDocument();
    expect(api.getPlatformOverview).toHaveBeenCalledTimes(1);
  });

  it('adds the status card and the Endpoint, Test, Rollout, History and Usage tabs to model entities only', () => {
    const model = modelEntity('sklearn-iris');
    const service = { ...model, spec: { ...model.spec, type: 'service' } };
    const contentFilter = EntityContentBlueprint.dataRefs.filterFunction;
    const filters = [
      createExtensionTester(modelEndpointContent).get(contentFilter),
      createExtensionTester(modelTestContent).get(contentFilter),
      createExtensionTester(modelRolloutContent).get(contentFilter),
      createExtensionTester(modelHistoryContent).get(contentFilter),
      createExtensionTester(modelUsageContent).get(contentFilter),
      createExtensionTester(modelStatusCard).get(
        EntityCardBlueprint.dataRefs.filterFunction,
      ),
    ];
    for (const filter of filters) {
      expect(filter?.(model)).toBe(true);
      expect(filter?.(service)).toBe(false);
    }
    expect(
      createExtensionTester(modelTestContent).get(
        EntityContentBlueprint.dataRefs.title,
      ),
    ).toBe('Test');
    expect(
      createExtensionTester(modelRolloutContent).get(
        EntityContentBlueprint.dataRefs.title,
      ),
    ).toBe('Rollout');
    expect(
      createExtensionTester(modelRolloutContent).get(
        coreExtensionData.routePath,
      ),
    ).toBe('/rollout');
    expect(
      createExtensionTester(modelHistoryContent).get(
        EntityContentBlueprint.dataRefs.title,
      ),
    ).toBe('History');
    expect(
      createExtensionTester(modelUsageContent).get(
        EntityContentBlueprint.dataRefs.title,
      ),
    ).toBe('Usage');
  });

  it('calls the inference backend through discovery with the app fetch', async () => {
    const factory = createExtensionTester(inferenceApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    const fetch = jest.fn(
      async () => new Response(JSON.stringify({ items: [] }), { status: 200 }),
    );
    const discoveryApi: DiscoveryApi = {
      getBaseUrl: async id => `http://backend/api/${id}`,
    };
    const fetchApi = { fetch } as unknown as FetchApi;
    const client = factory.factory({ discoveryApi, fetchApi }) as {
      listModels(): Promise<unknown[]>;
    };
    await expect(client.listModels()).resolves.toEqual([]);
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/inference/models',
      expect.objectContaining({ method: 'GET' }),
    );
  });
});
