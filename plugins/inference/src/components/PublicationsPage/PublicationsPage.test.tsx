import { screen } from '@testing-library/react';
import {
  apiFailing,
  fakeInferenceApi,
} from '../../__testUtils__/fakeInferenceApi';
import { publication } from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { PublicationsPage } from './PublicationsPage';

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
    await renderWithApi(<PublicationsPage />, { api });
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
    await renderWithApi(<PublicationsPage />, { api });
    expect(
      await screen.findByText("Kubernetes cluster 'local' is unreachable"),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Could not load the publications/),
    ).toBeInTheDocument();
  });
});
