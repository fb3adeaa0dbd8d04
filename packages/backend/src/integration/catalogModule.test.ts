// The module in a backend with the real inference plugin, the repository's catalog files and a
// Kubernetes sandbox: models created and published through the inference API show up as
// entities, without waiting for the schedule (the inference plugin's events trigger the syncs).
import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  Entity,
  FieldFormatEntityPolicy,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  apiAs,
  InferenceTestBackend,
  irisSpec,
  qwenSpec,
  startInferenceTestBackend,
} from '@internal/inference-test-utils';
import { parse } from 'yaml';
import catalogModuleInference, {
  InferenceEntityProvider,
} from '@inference-in-a-box/backstage-plugin-catalog-backend-module-inference';
import inferencePlugin from '@inference-in-a-box/backstage-plugin-inference-backend';
import {
  eventually,
  recordingCatalog,
  sharedEventsFactory,
} from '../__testUtils__/recordingCatalog';

jest.setTimeout(60_000);

const sklearn = irisSpec;
const qwen = qwenSpec();
const xgb = {
  name: 'xgb',
  framework: 'xgboost',
  storageUri: 'gs://models/xgb',
};
const resnet = {
  name: 'resnet',
  framework: 'pytorch',
  storageUri: 'gs://kfserving-examples/models/torchserve/image_classifier/v1',
};
const limits = { requestsPerMinute: 60, requestsPerHour: 3600 };
const publish = (publicModelName: string, extra: object = {}) => ({
  publicModelName,
  auth: { apiKey: true },
  limits,
  ...extra,
});

describe('inference entity provider in a backend with the inference plugin', () => {
  let backend: InferenceTestBackend;
  let catalog: ReturnType<typeof recordingCatalog>;
  const devA = () => apiAs(backend, 'dev-a');
  const devB = () => apiAs(backend, 'dev-b');
  const devC = () => apiAs(backend, 'dev-c');

  const refs = () =>
    catalog
      .current()
      .map(e => stringifyEntityRef(e))
      .sort();
  const entity = (ref: string): Entity => {
    const found = catalog.current().find(e => stringifyEntityRef(e) === ref);
    if (!found) throw new Error(`${ref} not in ${refs().join(', ')}`);
    return found;
  };

  beforeAll(async () => {
    catalog = recordingCatalog();
    backend = await startInferenceTestBackend(inferencePlugin, {
      features: [catalog.plugin, catalogModuleInference, sharedEventsFactory()],
    });
  });
  afterAll(() => backend?.stop());

  it('syncs at start-up, then after every model the portal creates', async () => {
    expect(catalog.mutations[0]).toEqual({ type: 'full', entities: [] });

    await devC().createReadyModel('tenant-c', resnet);
    await eventually(() =>
      expect(refs()).toContain('component:default/resnet'),
    );

    await devA().createReadyModel('tenant-a', sklearn('iris'));
    await devA().createReadyModel('tenant-a', qwen);
    // Declared in catalog/models.yaml: it must not get a second Component.
    await devA().createReadyModel('tenant-a', sklearn('sklearn-iris'));
    await devB().createReadyModel('tenant-b', sklearn('iris'));
    await devB().createReadyModel('tenant-b', xgb);

    await eventually(() =>
      expect(refs()).toEqual([
        'component:default/qwen',
        'component:default/resnet',
        // Two tenants have an `iris`: both are qualified by their tenant.
        'component:default/tenant-a-iris',
        'component:default/tenant-b-iris',
        'component:default/xgb',
      ]),
    );
  });

  it('adds an API entity per publication, with an OpenAPI definition at the endpoint', async () => {
    expect(
      (
        await devA().put(
          '/models/local/tenant-a/iris/publication',
          publish('iris'),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await devA().put(
          '/models/local/tenant-a/qwen/publication',
          publish('qwen', { limits: { ...limits, tokensPerHour: 100_000 } }),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await devA().put(
          '/models/local/tenant-a/sklearn-iris/publication',
          publish('sklearn-iris'),
        )
      ).status,
    ).toBe(200);

    await eventually(() =>
      expect(refs()).toEqual([
        'api:default/qwen',
        // The declared model's publication: named after the declared Component.
        'api:default/sklearn-iris',
        'api:default/tenant-a-iris',
        'component:default/qwen',
        'component:default/resnet',
        'component:default/tenant-a-iris',
        'component:default/tenant-b-iris',
        'component:default/xgb',
      ]),
    );

    const component = entity('component:default/tenant-a-iris');
    expect(component).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'tenant-a-iris',
        title: 'iris (tenant-a)',
        description:
          'sklearn model served by KServe in namespace tenant-a of cluster local.',
        tags: ['sklearn', 'predictive'],
        annotations: {
          'backstage.io/managed-by-location':
            'inference-service:local/tenant-a/iris',
          'backstage.io/managed-by-origin-location':
            'inference-service:local/tenant-a/iris',
          'inference.platform.io/namespace': 'tenant-a',
          'inference.platform.io/inference-service': 'iris',
          'inference.platform.io/cluster': 'local',
          'inference.platform.io/framework': 'sklearn',
          'inference.platform.io/model-type': 'predictive',
          'backstage.io/kubernetes-id': 'iris',
          'backstage.io/kubernetes-namespace': 'tenant-a',
          'backstage.io/kubernetes-label-selector':
            'inference.platform.io/model=iris',
        },
      },
      spec: {
        type: 'model',
        lifecycle: 'production',
        owner: 'group:default/tenant-a',
        system: 'inference-platform',
        providesApis: ['api:default/tenant-a-iris'],
      },
    });

    const api = entity('api:default/tenant-a-iris');
    expect(api).toMatchObject({
      kind: 'API',
      metadata: {
        title: 'iris (tenant-a) KServe v1/v2 API',
        links: [
          {
            url: 'https://api.router.inference-in-a-box/models/tenant-a/iris',
            title: 'Endpoint',
          },
        ],
        annotations: expect.objectContaining({
          'inference.platform.io/inference-service': 'iris',
          'inference.platform.io/model-type': 'predictive',
        }),
      },
      spec: {
        type: 'openapi',
        lifecycle: 'production',
        owner: 'group:default/tenant-a',
        system: 'inference-platform',
      },
    });
    const openapi = parse(api.spec!.definition as string);
    expect(openapi.openapi).toBe('3.0.3');
    expect(openapi.servers).toEqual([
      { url: 'https://api.router.inference-in-a-box/models/tenant-a/iris' },
    ]);
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/v1/models/iris:predict',
        '/v2/models/iris/infer',
      ]),
    );
    expect(
      openapi.paths['/v2/models/iris/infer'].post.requestBody.content[
        'application/json'
      ].schema,
    ).toEqual({
      $ref: '#/components/schemas/V2InferRequest',
    });
    expect(openapi.info.description).toContain(
      '60 requests per minute, 3600 requests per hour',
    );
    expect(openapi.components.securitySchemes.apiKey).toEqual({
      type: 'apiKey',
      in: 'header',
      name: 'x-api-key',
    });

    const openai = entity('api:default/qwen');
    expect(openai.spec).toMatchObject({ type: 'openai' });
    const openaiDoc = parse(openai.spec!.definition as string);
    expect(openaiDoc.servers).toEqual([
      // An OpenAI-compatible publication's own hostname (see defaultPublicationHostname).
      { url: 'https://qwen-tenant-a.inference-in-a-box/v1' },
    ]);
    expect(Object.keys(openaiDoc.paths).sort()).toEqual([
      '/chat/completions',
      '/completions',
      '/embeddings',
      '/models',
    ]);
    expect(
      openaiDoc.components.schemas.ChatCompletionRequest.properties.model.enum,
    ).toEqual(['qwen']);
    expect(
      entity('component:default/qwen').metadata.annotations?.[
        'inference.platform.io/model-type'
      ],
    ).toBe('openai');

    expect(entity('api:default/sklearn-iris').metadata.description).toContain(
      'component:default/sklearn-iris',
    );

    // Everything emitted is an entity the catalog accepts.
    const policy = new FieldFormatEntityPolicy();
    for (const e of catalog.current()) {
      await expect(policy.enforce(e)).resolves.toBe(e);
      const validator =
        e.kind === 'API'
          ? apiEntityV1alpha1Validator
          : componentEntityV1alpha1Validator;
      await expect(validator.check(e)).resolves.toBe(true);
    }
  });

  it('drops the entities of a deleted model and of an unpublished endpoint on the next sync', async () => {
    expect((await devB().delete('/models/local/tenant-b/xgb')).status).toBe(
      204,
    );
    expect(
      (await devA().delete('/models/local/tenant-a/iris/publication')).status,
    ).toBe(200);

    await eventually(() => {
      expect(refs()).not.toContain('component:default/xgb');
      expect(refs()).not.toContain('api:default/tenant-a-iris');
    });
    expect(entity('component:default/tenant-a-iris').spec).toEqual({
      type: 'model',
      lifecycle: 'experimental',
      owner: 'group:default/tenant-a',
      system: 'inference-platform',
    });
    // An object removed behind the portal's back goes with the next scheduled (full) sync.
    await fetch(
      `${backend.sandbox.url}/apis/serving.kserve.io/v1beta1/namespaces/tenant-c/inferenceservices/resnet`,
      {
        method: 'DELETE',
      },
    );
    // (The test backend's scheduler runs tasks only at start-up: run the scheduled sync by hand.)
    await (catalog.providers[0] as InferenceEntityProvider).refresh();
    expect(refs()).not.toContain('component:default/resnet');
  });

  it('applies nothing while a cluster fails, so no entity is dropped for a listing it could not make', async () => {
    const provider = catalog.providers[0] as InferenceEntityProvider;
    const before = catalog.mutations.length;
    backend.sandbox.faults.add({
      method: 'GET',
      path: '/apis/serving.kserve.io/v1beta1/namespaces/tenant-b/inferenceservices',
      status: 500,
    });
    try {
      await expect(provider.refresh()).rejects.toThrow(
        /tenant-b|InferenceService/,
      );
      expect(catalog.mutations.length).toBe(before);
    } finally {
      backend.sandbox.faults.clear();
    }
    await provider.refresh();
    expect(refs()).toContain('component:default/tenant-b-iris');
  });
});
