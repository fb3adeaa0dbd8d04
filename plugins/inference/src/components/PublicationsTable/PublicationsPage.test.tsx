import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { inferenceApiRef } from '../../api';
import { fakeInferenceApi } from '../../__testUtils__/fakeInferenceApi';
import { liveModel, publication } from '../../__testUtils__/fixtures';
import { responseError } from '../../__testUtils__/responseError';
import { PublicationsPage } from './PublicationsPage';

describe('PublicationsPage', () => {
  it('reads the publication of every published model, and reports the ones it cannot read', async () => {
    const api = fakeInferenceApi({
      listModels: jest.fn(async () => [
        liveModel('sklearn-iris', { published: true }),
        liveModel('unpublished'),
        liveModel('broken', { published: true }),
      ]),
      getPublication: jest.fn(async model => {
        if (model.name === 'broken') {
          throw await responseError(502, {
            name: 'ClusterFailureError',
            message: 'cluster said 500',
          });
        }
        return publication({
          state: 'partial',
          failure: {
            kind: 'HTTPRoute',
            name: 'sklearn-iris',
            reason: 'conflict',
          },
        });
      }),
    });
    await renderInTestApp(<PublicationsPage />, {
      apis: [[inferenceApiRef, api]],
    });
    expect(
      await screen.findByText(
        'https://api.router.inference-in-a-box/models/tenant-a/sklearn-iris',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Partially applied: HTTPRoute sklearn-iris: conflict'),
    ).toBeInTheDocument();
    expect(screen.getByText('60 req/min · 3,600 req/h')).toBeInTheDocument();
    expect(
      screen.getByText(/Could not read the publication of tenant-a\/broken/),
    ).toHaveTextContent('(502 Bad Gateway)');
    expect(screen.getByText('cluster said 500')).toBeInTheDocument();
    expect(api.getPublication).toHaveBeenCalledTimes(2);
  });
});
