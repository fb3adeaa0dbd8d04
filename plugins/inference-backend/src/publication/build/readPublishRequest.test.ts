import { buildPublicationObjects } from './buildPublicationObjects';
import { readPublishRequest } from '@inference-in-a-box/backstage-plugin-inference-node';
import {
  openAiInput,
  predictiveInput,
  vllmJwtInput,
} from './publicationInputs.fixtures';
import { defaultPublicationHostname } from './publicationHostname';
import { PublicationInput } from './types';

describe('readPublishRequest', () => {
  it.each<[string, PublicationInput]>([
    ['openai with every limit', openAiInput()],
    [
      'openai with JWT, a custom hostname and one limit',
      vllmJwtInput({ tokensPerHour: 5000 }),
    ],
    ['predictive', predictiveInput()],
    [
      'predictive without limits',
      predictiveInput({
        request: { ...predictiveInput().request, limits: {} },
      }),
    ],
  ])('round-trips %s', (_, input) => {
    expect(readPublishRequest(buildPublicationObjects(input))).toEqual({
      publicModelName: input.request.publicModelName,
      hostname:
        input.request.hostname ??
        defaultPublicationHostname(
          input.platform,
          input.modelType,
          input.tenant,
          input.model.name,
        ),
      auth: { apiKey: true, jwt: input.request.auth.jwt ?? false },
      limits: input.request.limits,
      modelType: input.modelType,
    });
  });

  it('reads name and hostname from the route alone', () => {
    const route = buildPublicationObjects(openAiInput()).filter(
      o => o.kind === 'AIGatewayRoute',
    );
    expect(readPublishRequest(route)).toEqual({
      publicModelName: 'llama-3.1-8b',
      hostname: 'llama31-8b-tenant-b.inference-in-a-box',
      auth: { apiKey: true, jwt: false },
      limits: {},
      modelType: 'openai',
    });
  });

  it('prefers the AIGatewayRoute over the HTTPRoute generated for it', () => {
    const objects = buildPublicationObjects(openAiInput());
    const generated = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'llama31-8b', namespace: 'tenant-b' },
      spec: {
        hostnames: ['x.example.com'],
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }],
      },
    };
    expect(readPublishRequest([generated, ...objects])?.modelType).toBe(
      'openai',
    );
  });

  it('is undefined without a route', () => {
    const objects = buildPublicationObjects(openAiInput()).filter(
      o => !o.kind.endsWith('Route'),
    );
    expect(readPublishRequest(objects)).toBeUndefined();
  });
});
