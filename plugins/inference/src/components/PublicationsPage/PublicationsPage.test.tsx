import { screen, within } from '@testing-library/react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  apiFailing,
  fakeInferenceApi,
} from '../../__testUtils__/fakeInferenceApi';
import {
  modelEntity,
  publication,
  rateLimitDrift,
} from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { PublicationsPage } from './PublicationsPage';

/** Renders the tab with the catalog holding these model entities. */
function renderPage(
  api: ReturnType<typeof fakeInferenceApi>,
  catalog = catalogApiMock({ entities: [] }),
) {
  return renderWithApi(<PublicationsPage />, { api, apis: [catalog] });
}

describe('PublicationsPage', () => {
  it('lists every publication with its endpoint, state and limits', async () => {
    const api = fakeInferenceApi({
      listPublications: jest.fn(async () => [
        publication({
          state: 'partial',
          failure: {
            kind: 'HTTPRoute',
            name: 'sklearn-iris',
            reason: 'conflict',
          },
        }),
      ]),
    });
    await renderPage(api);
    expect(
      await screen.findByText(
        'https://api.router.inference-in-a-box/models/tenant-a/sklearn-iris',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Partially applied: HTTPRoute sklearn-iris: conflict'),
    ).toBeInTheDocument();
    expect(screen.getByText('60 req/min · 3,600 req/h')).toBeInTheDocument();
    expect(api.listPublications).toHaveBeenCalledTimes(1);
    expect(api.getPublication).not.toHaveBeenCalled();
  });

  it("shows the backend's error when the list cannot be read", async () => {
    const api = apiFailing(
      'listPublications',
      503,
      "Kubernetes cluster 'local' is unreachable",
    );
    await renderPage(api);
    expect(
      await screen.findByText("Kubernetes cluster 'local' is unreachable"),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Could not load the publications/),
    ).toBeInTheDocument();
  });

  it("shows a drifted publication as Drifted, linking to its model's Endpoint tab", async () => {
    const api = fakeInferenceApi({
      listPublications: jest.fn(async () => [
        publication({ state: 'drifted', drift: rateLimitDrift() }),
        publication({
          id: 'tenant-a-qwen-chat',
          model: 'qwen-chat',
          publicModelName: 'qwen-chat',
          endpoint: 'https://api.router.inference-in-a-box/v1',
        }),
      ]),
    });
    // The iris entity is named differently from its InferenceService: the link must come from
    // the catalog's annotations, not from the model's name.
    const catalog = catalogApiMock.mock({
      getEntities: jest.fn(async () => ({
        items: [
          {
            ...modelEntity('sklearn-iris'),
            metadata: {
              ...modelEntity('sklearn-iris').metadata,
              name: 'iris-classifier',
            },
          },
        ],
      })),
    });
    await renderPage(api, catalog);
    const link = await screen.findByRole('link', { name: 'Drifted' });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/iris-classifier/endpoint',
    );
    const qwenRow = screen
      .getByText('https://api.router.inference-in-a-box/v1')
      .closest('tr')!;
    expect(within(qwenRow).getByText('Published')).toBeInTheDocument();
    expect(screen.getAllByText('Drifted')).toHaveLength(1);
    // One catalog query, for the drifted model only.
    expect(catalog.getEntities).toHaveBeenCalledTimes(1);
    expect(catalog.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: [
          {
            kind: 'Component',
            'spec.type': 'model',
            'metadata.annotations.inference.platform.io/namespace': 'tenant-a',
            'metadata.annotations.inference.platform.io/inference-service':
              'sklearn-iris',
          },
        ],
      }),
    );
  });

  it('does not ask the catalog when nothing drifted', async () => {
    const catalog = catalogApiMock.mock();
    await renderPage(
      fakeInferenceApi({
        listPublications: jest.fn(async () => [publication()]),
      }),
      catalog,
    );
    expect(await screen.findByText('Published')).toBeInTheDocument();
    expect(catalog.getEntities).not.toHaveBeenCalled();
  });
});
