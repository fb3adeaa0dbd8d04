import { KubeSandbox, startKubeSandbox } from '../sandbox';
import { createHttpClient, readWatchEvents } from '../testUtils/httpClient';
import { isvc } from '../testUtils/sampleObjects';

const ISVC_PATH =
  '/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices';

let sandbox: KubeSandbox;
let request: ReturnType<typeof createHttpClient>;

beforeAll(async () => {
  sandbox = await startKubeSandbox({ controllers: false });
  request = createHttpClient(sandbox.url);
  await request('POST', '/api/v1/namespaces', {
    body: { metadata: { name: 'models' } },
  });
});

afterAll(() => sandbox.close());

/** Server-side apply of an InferenceService in `models`; `target` is its name and query. */
function applyIsvc(target: string, body: unknown) {
  return request('PATCH', `${ISVC_PATH}/${target}`, {
    contentType: 'application/apply-patch+yaml',
    body,
  });
}

describe('discovery and OpenAPI', () => {
  it('serves aggregated discovery with its exact content type', async () => {
    const accept =
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const apis = await request('GET', '/apis', { headers: { Accept: accept } });
    expect(apis.headers.get('content-type')).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    const kserve = apis.body.items.find(
      (g: any) => g.metadata.name === 'serving.kserve.io',
    );
    const isvcResource = kserve.versions[0].resources.find(
      (r: any) => r.resource === 'inferenceservices',
    );
    expect(isvcResource).toMatchObject({
      responseKind: {
        group: 'serving.kserve.io',
        version: 'v1beta1',
        kind: 'InferenceService',
      },
      scope: 'Namespaced',
      shortNames: ['isvc'],
      subresources: [{ subresource: 'status' }],
    });
    const core = await request('GET', '/api', { headers: { Accept: accept } });
    expect(
      core.body.items[0].versions[0].resources.map((r: any) => r.resource),
    ).toEqual(
      expect.arrayContaining([
        'namespaces',
        'secrets',
        'configmaps',
        'services',
        'pods',
        'events',
        'serviceaccounts',
      ]),
    );
  });

  it('serves legacy discovery documents', async () => {
    expect((await request('GET', '/api')).body).toMatchObject({
      kind: 'APIVersions',
      versions: ['v1'],
    });
    const groups = await request('GET', '/apis');
    const gateway = groups.body.groups.find(
      (g: any) => g.name === 'aigateway.envoyproxy.io',
    );
    expect(gateway.preferredVersion).toEqual({
      groupVersion: 'aigateway.envoyproxy.io/v1beta1',
      version: 'v1beta1',
    });
    const resources = await request('GET', '/apis/serving.kserve.io/v1beta1');
    expect(resources.body).toMatchObject({
      kind: 'APIResourceList',
      groupVersion: 'serving.kserve.io/v1beta1',
    });
    expect(resources.body.resources.map((r: any) => r.name)).toEqual([
      'inferenceservices',
      'inferenceservices/status',
    ]);
    expect((await request('GET', '/apis/serving.kserve.io/v9')).status).toBe(
      404,
    );
    expect((await request('GET', '/version')).body.gitVersion).toMatch(
      /^v1\.32\./,
    );
  });

  it('serves the built-in groups in aggregated discovery, with status subresources and categories', async () => {
    const accept =
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
    const apis = await request('GET', '/apis', { headers: { Accept: accept } });
    const byGroup = Object.fromEntries(
      apis.body.items.map((g: any) => [g.metadata.name, g.versions]),
    );
    const resource = (group: string, plural: string) =>
      byGroup[group][0].resources.find((r: any) => r.resource === plural);
    expect(resource('apps', 'deployments')).toMatchObject({
      responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      scope: 'Namespaced',
      singularResource: 'deployment',
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: [{ subresource: 'status' }],
    });
    expect(resource('autoscaling', 'horizontalpodautoscalers')).toMatchObject({
      responseKind: { version: 'v2', kind: 'HorizontalPodAutoscaler' },
      shortNames: ['hpa'],
      categories: ['all'],
    });
    expect(resource('batch', 'cronjobs')).toMatchObject({ shortNames: ['cj'] });
    expect(resource('networking.k8s.io', 'ingresses')).toMatchObject({
      shortNames: ['ing'],
    });
    expect(
      resource('networking.k8s.io', 'ingresses').categories,
    ).toBeUndefined();
    expect(resource('rbac.authorization.k8s.io', 'clusterroles')).toMatchObject(
      {
        scope: 'Cluster',
      },
    );
    expect(resource('policy', 'poddisruptionbudgets')).toMatchObject({
      shortNames: ['pdb'],
    });
    for (const group of [
      'coordination.k8s.io',
      'discovery.k8s.io',
      'events.k8s.io',
    ]) {
      expect(byGroup[group].map((v: any) => v.version)).toEqual(['v1']);
    }
  });

  it('serves the built-in schemas in OpenAPI v3 under their Kubernetes names', async () => {
    const root = await request('GET', '/openapi/v3');
    const doc = await request(
      'GET',
      root.body.paths['apis/apps/v1'].serverRelativeURL,
    );
    const deployment =
      doc.body.components.schemas['io.k8s.api.apps.v1.Deployment'];
    expect(deployment['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', version: 'v1', kind: 'Deployment' },
    ]);
    expect(deployment.properties.spec.required).toEqual([
      'selector',
      'template',
    ]);
    expect(deployment.properties.spec.properties.replicas).toMatchObject({
      type: 'integer',
      format: 'int32',
    });
    expect(
      doc.body.paths[
        '/apis/apps/v1/namespaces/{namespace}/deployments/{name}'
      ].patch.parameters.map((p: any) => p.name),
    ).toContain('fieldValidation');
  });

  it('serves OpenAPI v3 documents that announce fieldValidation on PATCH', async () => {
    const root = await request('GET', '/openapi/v3');
    const entry = root.body.paths['apis/serving.kserve.io/v1beta1'];
    expect(entry.serverRelativeURL).toMatch(
      /^\/openapi\/v3\/apis\/serving\.kserve\.io\/v1beta1\?hash=[0-9A-F]+$/,
    );
    const doc = await request('GET', entry.serverRelativeURL);
    const item =
      doc.body.paths[
        '/apis/serving.kserve.io/v1beta1/namespaces/{namespace}/inferenceservices/{name}'
      ];
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'serving.kserve.io',
      version: 'v1beta1',
      kind: 'InferenceService',
    });
    expect(item.patch.parameters.map((p: any) => p.name)).toEqual(
      expect.arrayContaining([
        'fieldValidation',
        'fieldManager',
        'dryRun',
        'force',
      ]),
    );
    expect(
      doc.body.components.schemas['io.kserve.serving.v1beta1.InferenceService']
        .properties.spec,
    ).toBeDefined();
  });
});

describe('CRUD', () => {
  it('creates with uid, resourceVersion, generation and creationTimestamp; 409 on duplicates', async () => {
    const created = await request('POST', ISVC_PATH, { body: isvc('crud-a') });
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({
      generation: 1,
      namespace: 'models',
    });
    expect(created.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.metadata.creationTimestamp).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    expect(Number(created.body.metadata.resourceVersion)).toBeGreaterThan(0);

    const duplicate = await request('POST', ISVC_PATH, {
      body: isvc('crud-a'),
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'AlreadyExists',
      message: 'inferenceservices.serving.kserve.io "crud-a" already exists',
      details: {
        name: 'crud-a',
        group: 'serving.kserve.io',
        kind: 'inferenceservices',
      },
      code: 409,
    });
  });

  it('generates names from generateName', async () => {
    const body = isvc('');
    body.metadata = { generateName: 'gen-', namespace: 'models' };
    const created = await request('POST', ISVC_PATH, { body });
    expect(created.body.metadata.name).toMatch(
      /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/,
    );
  });

  it('answers NotFound as a Status, and for a missing namespace', async () => {
    const missing = await request('GET', `${ISVC_PATH}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      reason: 'NotFound',
      details: { name: 'nope', kind: 'inferenceservices' },
    });
    const noNamespace = await request(
      'POST',
      '/apis/serving.kserve.io/v1beta1/namespaces/ghost/inferenceservices',
      {
        body: { ...isvc('x'), metadata: { name: 'x' } },
      },
    );
    expect(noNamespace.status).toBe(404);
    expect(noNamespace.body.message).toBe('namespaces "ghost" not found');
  });

  it('enforces optimistic concurrency and bumps generation only for spec changes', async () => {
    const created = (await request('POST', ISVC_PATH, { body: isvc('crud-b') }))
      .body;
    const withoutVersion = await request('PUT', `${ISVC_PATH}/crud-b`, {
      body: {
        ...created,
        metadata: { ...created.metadata, resourceVersion: undefined },
      },
    });
    expect(withoutVersion.status).toBe(422);
    expect(withoutVersion.body.message).toContain(
      'metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );

    const labelled = await request('PUT', `${ISVC_PATH}/crud-b`, {
      body: {
        ...created,
        metadata: { ...created.metadata, labels: { x: 'y' } },
      },
    });
    expect(labelled.status).toBe(200);
    expect(labelled.body.metadata.generation).toBe(1);
    expect(Number(labelled.body.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );

    const stale = await request('PUT', `${ISVC_PATH}/crud-b`, {
      body: created,
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on inferenceservices.serving.kserve.io "crud-b": the object has been modified; please apply your changes to the latest version and try again',
    });

    const respecced = labelled.body;
    respecced.spec.predictor.model.storageUri = 'hf://other';
    const changed = await request('PUT', `${ISVC_PATH}/crud-b`, {
      body: respecced,
    });
    expect(changed.body.metadata.generation).toBe(2);
  });

  it('ignores .status on main-resource writes and writes it through /status', async () => {
    const body = { ...isvc('crud-c'), status: { url: 'http://ignored' } };
    const created = (await request('POST', ISVC_PATH, { body })).body;
    expect(created.status).toBeUndefined();
    const status = await request('PATCH', `${ISVC_PATH}/crud-c/status`, {
      contentType: 'application/merge-patch+json',
      body: {
        status: { url: 'http://set' },
        spec: { predictor: { minReplicas: 5 } },
      },
    });
    expect(status.status).toBe(200);
    expect(status.body.status.url).toBe('http://set');
    expect(status.body.spec.predictor.minReplicas).toBeUndefined();
    const main = await request('PATCH', `${ISVC_PATH}/crud-c`, {
      contentType: 'application/merge-patch+json',
      body: { status: { url: 'http://main' } },
    });
    expect(main.body.status.url).toBe('http://set');
  });

  it('supports merge patch, JSON patch, and 415 for strategic merge on custom resources', async () => {
    await request('POST', ISVC_PATH, {
      body: isvc('crud-d', { a: '1', b: '2' }),
    });
    const merged = await request('PATCH', `${ISVC_PATH}/crud-d`, {
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { a: null, c: '3' } } },
    });
    expect(merged.body.metadata.labels).toEqual({ b: '2', c: '3' });
    const jsonPatched = await request('PATCH', `${ISVC_PATH}/crud-d`, {
      contentType: 'application/json-patch+json',
      body: [
        {
          op: 'replace',
          path: '/spec/predictor/model/storageUri',
          value: 's3://b/m',
        },
      ],
    });
    expect(jsonPatched.body.spec.predictor.model.storageUri).toBe('s3://b/m');
    const strategic = await request('PATCH', `${ISVC_PATH}/crud-d`, {
      contentType: 'application/strategic-merge-patch+json',
      body: {},
    });
    expect(strategic.status).toBe(415);
    expect(strategic.body.reason).toBe('UnsupportedMediaType');
  });

  it('runs dryRun=All without storing', async () => {
    const dry = await request('POST', `${ISVC_PATH}?dryRun=All`, {
      body: isvc('dry'),
    });
    expect(dry.status).toBe(201);
    expect((await request('GET', `${ISVC_PATH}/dry`)).status).toBe(404);
    await request('POST', ISVC_PATH, { body: isvc('dry2') });
    const dryDelete = await request('DELETE', `${ISVC_PATH}/dry2?dryRun=All`);
    expect(dryDelete.status).toBe(200);
    expect((await request('GET', `${ISVC_PATH}/dry2`)).status).toBe(200);
    const dryApply = await applyIsvc(
      'dry3?fieldManager=t&dryRun=All',
      isvc('dry3'),
    );
    expect(dryApply.status).toBe(201);
    expect((await request('GET', `${ISVC_PATH}/dry3`)).status).toBe(404);
  });

  it('rejects invalid objects with 422 causes and unknown fields per fieldValidation', async () => {
    const invalid = isvc('bad');
    invalid.spec.predictor.minReplicas = 'many';
    const rejected = await request('POST', ISVC_PATH, { body: invalid });
    expect(rejected.status).toBe(422);
    expect(rejected.body).toMatchObject({
      reason: 'Invalid',
      message:
        'InferenceService.serving.kserve.io "bad" is invalid: spec.predictor.minReplicas: Invalid value: "string": spec.predictor.minReplicas in body must be of type integer: "string"',
      details: {
        name: 'bad',
        group: 'serving.kserve.io',
        kind: 'InferenceService',
        causes: [
          {
            reason: 'FieldValueTypeInvalid',
            field: 'spec.predictor.minReplicas',
          },
        ],
      },
    });

    const unknown = isvc('unknown');
    unknown.spec.foo = 1;
    const strict = await request(
      'POST',
      `${ISVC_PATH}?fieldValidation=Strict`,
      { body: unknown },
    );
    expect(strict.status).toBe(400);
    expect(strict.body).toMatchObject({
      reason: 'BadRequest',
      message: 'strict decoding error: unknown field "spec.foo"',
    });
    const warned = await request('POST', `${ISVC_PATH}?fieldValidation=Warn`, {
      body: unknown,
    });
    expect(warned.status).toBe(201);
    expect(warned.headers.get('warning')).toBe(
      '299 - "unknown field \\"spec.foo\\""',
    );
    expect(warned.body.spec.foo).toBeUndefined();
  });

  it('deletes with a Success Status, honouring finalizers', async () => {
    const created = (await request('POST', ISVC_PATH, { body: isvc('gone') }))
      .body;
    const deleted = await request('DELETE', `${ISVC_PATH}/gone`, {
      body: { propagationPolicy: 'Background' },
    });
    expect(deleted.body).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: {
        name: 'gone',
        group: 'serving.kserve.io',
        kind: 'inferenceservices',
        uid: created.metadata.uid,
      },
    });

    const held = isvc('held');
    held.metadata.finalizers = ['example.com/hold'];
    await request('POST', ISVC_PATH, { body: held });
    const marked = await request('DELETE', `${ISVC_PATH}/held`);
    expect(marked.body.metadata.deletionTimestamp).toBeDefined();
    const addFinalizer = await request('PATCH', `${ISVC_PATH}/held`, {
      contentType: 'application/merge-patch+json',
      body: {
        metadata: { finalizers: ['example.com/hold', 'example.com/more'] },
      },
    });
    expect(addFinalizer.status).toBe(422);
    await request('PATCH', `${ISVC_PATH}/held`, {
      contentType: 'application/merge-patch+json',
      body: { metadata: { finalizers: null } },
    });
    expect((await request('GET', `${ISVC_PATH}/held`)).status).toBe(404);
  });
});

describe('server-side apply over HTTP', () => {
  it('requires a fieldManager, creates with 201, and answers conflicts like the API server', async () => {
    const noManager = await applyIsvc('ssa', isvc('ssa'));
    expect(noManager.status).toBe(422);

    const created = await applyIsvc(
      'ssa?fieldManager=publisher',
      'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: ssa, namespace: models}\nspec:\n  predictor:\n    model: {modelFormat: {name: sklearn}, storageUri: "gs://a"}\n',
    );
    expect(created.status).toBe(201);
    expect(created.body.metadata.managedFields[0]).toMatchObject({
      manager: 'publisher',
      operation: 'Apply',
      fieldsType: 'FieldsV1',
    });

    const other = isvc('ssa');
    other.spec.predictor.model = {
      modelFormat: { name: 'sklearn' },
      storageUri: 'gs://b',
    };
    const conflict = await applyIsvc(
      'ssa?fieldManager=other&force=false',
      other,
    );
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({
      reason: 'Conflict',
      message:
        'Apply failed with 1 conflict: conflict with "publisher" using serving.kserve.io/v1beta1: .spec.predictor.model.storageUri',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message:
              'conflict with "publisher" using serving.kserve.io/v1beta1',
            field: '.spec.predictor.model.storageUri',
          },
        ],
      },
    });
    const forced = await applyIsvc('ssa?fieldManager=other&force=true', other);
    expect(forced.status).toBe(200);
    expect(forced.body.spec.predictor.model.storageUri).toBe('gs://b');
  });
});

describe('lists and watches', () => {
  beforeAll(async () => {
    await request('POST', '/api/v1/namespaces', {
      body: { metadata: { name: 'lists' } },
    });
    for (const [name, labels] of [
      ['l1', { app: 'demo', tier: 'a' }],
      ['l2', { app: 'demo', tier: 'b' }],
      ['l3', { app: 'other' }],
    ] as const) {
      await request('POST', '/api/v1/namespaces/lists/configmaps', {
        body: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, labels },
          data: { k: name },
        },
      });
    }
  });

  const names = (list: any) => list.items.map((i: any) => i.metadata.name);

  it('filters by label and field selectors', async () => {
    const base = '/api/v1/namespaces/lists/configmaps';
    const list = await request(
      'GET',
      `${base}?labelSelector=${encodeURIComponent('app=demo,tier notin (b)')}`,
    );
    expect(list.body).toMatchObject({
      kind: 'ConfigMapList',
      apiVersion: 'v1',
    });
    expect(names(list.body)).toEqual(['l1']);
    expect(
      names((await request('GET', `${base}?labelSelector=!tier`)).body),
    ).toEqual(['l3']);
    expect(
      names(
        (await request('GET', `${base}?fieldSelector=metadata.name%3Dl2`)).body,
      ),
    ).toEqual(['l2']);
    expect(
      (
        await request(
          'GET',
          `${base}?labelSelector=${encodeURIComponent('a in b')}`,
        )
      ).status,
    ).toBe(400);
    const allNamespaces = await request(
      'GET',
      '/api/v1/configmaps?fieldSelector=metadata.namespace%3Dlists',
    );
    expect(names(allNamespaces.body)).toEqual(['l1', 'l2', 'l3']);
  });

  it('pages with limit and continue', async () => {
    const base = '/api/v1/namespaces/lists/configmaps';
    const first = await request('GET', `${base}?limit=2`);
    expect(names(first.body)).toEqual(['l1', 'l2']);
    expect(first.body.metadata.remainingItemCount).toBe(1);
    const second = await request(
      'GET',
      `${base}?limit=2&continue=${first.body.metadata.continue}`,
    );
    expect(names(second.body)).toEqual(['l3']);
    expect(second.body.metadata.continue).toBeUndefined();
  });

  it('watches from a list resourceVersion and reports ADDED, MODIFIED and DELETED', async () => {
    const base = '/api/v1/namespaces/lists/configmaps';
    const list = await request('GET', `${base}?labelSelector=app%3Ddemo`);
    const events = await readWatchEvents(
      `${sandbox.url}${base}?watch=true&labelSelector=app%3Ddemo&resourceVersion=${list.body.metadata.resourceVersion}`,
      4,
      {
        afterConnect: async () => {
          await request('POST', base, {
            body: { metadata: { name: 'w1', labels: { app: 'demo' } } },
          });
          await request('PATCH', `${base}/w1`, {
            contentType: 'application/merge-patch+json',
            body: { data: { x: '1' } },
          });
          await request('POST', base, {
            body: { metadata: { name: 'w2', labels: { app: 'nope' } } },
          });
          await request('PATCH', `${base}/w1`, {
            contentType: 'application/merge-patch+json',
            body: { metadata: { labels: { app: 'gone' } } },
          });
          await request('DELETE', `${base}/l1`);
        },
      },
    );
    expect(events.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED w1',
      'MODIFIED w1',
      'DELETED w1',
      'DELETED l1',
    ]);
  });

  it('answers a too-old resourceVersion with a 410 Expired event', async () => {
    const events = await readWatchEvents(
      `${sandbox.url}/api/v1/namespaces/lists/configmaps?watch=true&resourceVersion=3`,
      1,
    );
    expect(events[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
  });

  it('deletes the objects of a deleted namespace', async () => {
    await request('POST', '/api/v1/namespaces', {
      body: { metadata: { name: 'doomed' } },
    });
    await request('POST', '/api/v1/namespaces/doomed/secrets', {
      body: { metadata: { name: 's' }, stringData: { token: 'abc' } },
    });
    const secret = await request('GET', '/api/v1/namespaces/doomed/secrets/s');
    expect(secret.body.data).toEqual({
      token: Buffer.from('abc').toString('base64'),
    });
    expect((await request('DELETE', '/api/v1/namespaces/doomed')).status).toBe(
      200,
    );
    expect(
      (await request('GET', '/api/v1/namespaces/doomed/secrets/s')).status,
    ).toBe(404);
    expect((await request('GET', '/api/v1/namespaces/doomed')).status).toBe(
      404,
    );
  });
});

describe('bearer token', () => {
  it('answers 401 without the configured token', async () => {
    const guarded = await startKubeSandbox({
      controllers: false,
      token: 's3cret',
    });
    try {
      const anonymous = await createHttpClient(guarded.url)(
        'GET',
        '/api/v1/namespaces',
      );
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toMatchObject({
        kind: 'Status',
        reason: 'Unauthorized',
        code: 401,
      });
      const authorized = await createHttpClient(guarded.url, {
        Authorization: 'Bearer s3cret',
      })('GET', '/api/v1/namespaces');
      expect(authorized.status).toBe(200);
      expect(guarded.kubeconfig()).toContain('token: s3cret');
    } finally {
      await guarded.close();
    }
  });
});
