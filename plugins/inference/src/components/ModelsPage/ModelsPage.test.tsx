import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  apiFailing,
  fakeInferenceApi,
} from '../../__testUtils__/fakeInferenceApi';
import {
  liveModel,
  modelEntity,
  publication,
} from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { ModelsPage } from './ModelsPage';

const entities = [
  modelEntity('sklearn-iris', { title: 'Iris classifier' }),
  modelEntity('qwen-chat', { framework: 'huggingface', modelType: 'openai' }),
  modelEntity('huggingface-t5', {
    tenant: 'tenant-b',
    framework: 'huggingface',
  }),
  modelEntity('resnet', { tenant: 'tenant-c', framework: 'pytorch' }),
];

function renderPage(
  api = fakeInferenceApi(),
  catalog: ReturnType<typeof catalogApiMock> = catalogApiMock({ entities }),
) {
  return renderWithApi(<ModelsPage />, { api, apis: [catalog] });
}

/** The first cell's text of every body row: the names, in display order. */
function shownNames(): string[] {
  const table = screen.getByRole('table', { name: 'Models' });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[0].textContent ?? '');
}

/** Three of the catalog's models run (sklearn-iris is published, qwen-chat is not ready). */
const runningModelsApi = () =>
  fakeInferenceApi({
    listModels: jest.fn(async () => [
      liveModel('sklearn-iris', { published: true }),
      liveModel('qwen-chat', {
        framework: 'huggingface',
        modelType: 'openai',
        ready: false,
        reason: 'ModelLoading',
      }),
      liveModel('huggingface-t5', {
        namespace: 'tenant-b',
        tenant: 'tenant-b',
        framework: 'huggingface',
      }),
    ]),
    getPublication: jest.fn(async () => publication()),
  });

describe('ModelsPage', () => {
  it('lists catalog models with live status, published state and endpoint', async () => {
    const fake = runningModelsApi();
    await renderPage(fake);
    expect(
      await screen.findByRole('link', { name: 'Iris classifier' }),
    ).toBeInTheDocument();
    const iris = screen
      .getByRole('link', { name: 'Iris classifier' })
      .closest('tr')!;
    expect(within(iris).getByText('Ready')).toBeInTheDocument();
    expect(
      await within(iris).findByText(
        'https://api.router.inference-in-a-box/models/tenant-a/sklearn-iris',
      ),
    ).toBeInTheDocument();
    const qwen = screen.getByRole('link', { name: 'qwen-chat' }).closest('tr')!;
    expect(
      within(qwen).getByText('Not ready (ModelLoading)'),
    ).toBeInTheDocument();
    const resnet = screen.getByRole('link', { name: 'resnet' }).closest('tr')!;
    expect(within(resnet).getByText('Not deployed')).toBeInTheDocument();
    // Only published rows cost a publication request.
    expect(fake.getPublication).toHaveBeenCalledTimes(1);
  });

  it('filters by tenant, framework, type and status, and searches', async () => {
    await renderPage(runningModelsApi());
    await screen.findByRole('link', { name: 'Iris classifier' });
    expect(shownNames()).toEqual([
      'huggingface-t5',
      'Iris classifier',
      'qwen-chat',
      'resnet',
    ]);

    await userEvent.selectOptions(
      screen.getByLabelText('Framework'),
      'huggingface',
    );
    expect(shownNames()).toEqual(['huggingface-t5', 'qwen-chat']);
    await userEvent.selectOptions(screen.getByLabelText('Type'), 'openai');
    expect(shownNames()).toEqual(['qwen-chat']);
    await userEvent.selectOptions(screen.getByLabelText('Type'), '');
    await userEvent.selectOptions(screen.getByLabelText('Tenant'), 'tenant-b');
    expect(shownNames()).toEqual(['huggingface-t5']);
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'not-ready');
    expect(
      screen.getByText('No models match the filters.'),
    ).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText('Status'), '');
    await userEvent.selectOptions(screen.getByLabelText('Tenant'), '');
    await userEvent.selectOptions(screen.getByLabelText('Framework'), '');
    await userEvent.type(screen.getByLabelText('Search models'), 'iris');
    await waitFor(() => expect(shownNames()).toEqual(['Iris classifier']));
  });

  it('sorts by a column header, toggling the direction', async () => {
    await renderPage(runningModelsApi());
    await screen.findByRole('link', { name: 'Iris classifier' });
    await userEvent.click(screen.getByRole('button', { name: 'Tenant' }));
    expect(shownNames().slice(-1)).toEqual(['resnet']);
    await userEvent.click(screen.getByRole('button', { name: 'Tenant' }));
    expect(shownNames()[0]).toBe('resnet');
    await userEvent.click(screen.getByRole('button', { name: 'Status' }));
    expect(shownNames()).toEqual([
      'huggingface-t5',
      'Iris classifier',
      'qwen-chat',
      'resnet',
    ]);
  });

  it('renders one page of 5,000 models and pages through them', async () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      modelEntity(`model-${String(i).padStart(4, '0')}`, {
        tenant: `tenant-${i % 10}`,
      }),
    );
    await renderPage(fakeInferenceApi(), catalogApiMock({ entities: many }));
    expect(
      await screen.findByRole('link', { name: 'model-0000' }),
    ).toBeInTheDocument();
    expect(shownNames()).toHaveLength(25);
    expect(screen.getByText('1-25 of 5000')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(shownNames()[0]).toBe('model-0025');
    await userEvent.selectOptions(screen.getByLabelText('Tenant'), 'tenant-3');
    expect(screen.getByText('1-25 of 500')).toBeInTheDocument();
    expect(shownNames()[0]).toBe('model-0003');
  });
});

describe('ModelsPage when a listing fails or is slow', () => {
  it('still lists the catalog models when the live status cannot be read, and says why', async () => {
    const failing = apiFailing(
      'listModels',
      503,
      'cluster local is unreachable',
    );
    await renderPage(failing);
    expect(
      await screen.findByText('cluster local is unreachable'),
    ).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Models' });
    expect(within(table).getAllByText('Unknown')).toHaveLength(4);
  });

  it('shows the catalog error and no table when the catalog fails', async () => {
    const down = async () => {
      throw new Error('catalog is down');
    };
    const catalog = catalogApiMock.mock({
      getEntities: jest.fn(down),
      queryEntities: jest.fn(down),
    });
    await renderPage(fakeInferenceApi(), catalog);
    expect(await screen.findByText('catalog is down')).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Models' }),
    ).not.toBeInTheDocument();
  });

  it('shows the first models at once while the full list is still loading', async () => {
    const catalog = catalogApiMock.mock({
      queryEntities: jest.fn(async () => ({
        items: [entities[0]],
        totalItems: entities.length,
        pageInfo: {},
      })),
      getEntities: jest.fn(() => new Promise<never>(() => {})),
    });
    await renderPage(fakeInferenceApi(), catalog);
    expect(
      await screen.findByText(/Showing the first models; loading all of them/),
    ).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Models' });
    expect(
      within(table).getByText(
        entities[0].metadata.title ?? entities[0].metadata.name,
      ),
    ).toBeInTheDocument();
    expect(catalog.queryEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        limit: 100,
        orderFields: { field: 'metadata.name', order: 'asc' },
      }),
    );
  });
});

describe('ModelsPage: drifted publications', () => {
  it("shows Drifted in the published column, linking to the model's Endpoint tab", async () => {
    const api = fakeInferenceApi({
      listModels: jest.fn(async () => [
        liveModel('sklearn-iris', {
          published: true,
          publicationState: 'drifted',
        }),
        liveModel('qwen-chat', {
          framework: 'huggingface',
          modelType: 'openai',
          published: true,
          publicationState: 'published',
        }),
      ]),
      getPublication: jest.fn(async model =>
        publication({ model: model.name }),
      ),
    });
    await renderPage(api);
    const iris = (
      await screen.findByRole('link', { name: 'Iris classifier' })
    ).closest('tr')!;
    const drifted = within(iris).getByRole('link', { name: 'Drifted' });
    expect(drifted).toHaveAttribute(
      'href',
      '/catalog/default/component/sklearn-iris/endpoint',
    );
    const qwen = screen.getByRole('link', { name: 'qwen-chat' }).closest('tr')!;
    expect(within(qwen).queryByText('Drifted')).not.toBeInTheDocument();
    expect(within(qwen).getByText('Yes')).toBeInTheDocument();
  });

  it('shows Drifted when the loaded publication says so, although the listing does not', async () => {
    const api = fakeInferenceApi({
      listModels: jest.fn(async () => [
        liveModel('sklearn-iris', { published: true }),
      ]),
      getPublication: jest.fn(async () => publication({ state: 'drifted' })),
    });
    await renderPage(api);
    const iris = (
      await screen.findByRole('link', { name: 'Iris classifier' })
    ).closest('tr')!;
    expect(
      await within(iris).findByRole('link', { name: 'Drifted' }),
    ).toBeInTheDocument();
  });
});
