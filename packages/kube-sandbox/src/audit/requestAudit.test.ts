import { KubeSandbox, startKubeSandbox } from '../sandbox';
import { createHttpClient } from '../testUtils/httpClient';
import { RequestAuditLog } from './requestAudit';

describe('request audit', () => {
  let sandbox: KubeSandbox;
  let request: ReturnType<typeof createHttpClient>;
  const SECRETS = '/api/v1/namespaces/default/secrets';

  beforeAll(async () => {
    sandbox = await startKubeSandbox({ controllers: false });
    request = createHttpClient(sandbox.url, { 'User-Agent': 'audit-test/1.0' });
  });
  afterAll(() => sandbox.close());

  it('records every request with verb, resource, name, query, field manager and status code', async () => {
    sandbox.audit.clear();
    await request('POST', `${SECRETS}?fieldManager=me`, {
      body: { metadata: { name: 's' } },
    });
    await request('GET', `${SECRETS}/s`);
    await request('GET', `${SECRETS}?labelSelector=a%3Db`);
    await request('PATCH', `${SECRETS}/s?dryRun=All`, {
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { a: 'b' } } },
    });
    await request('DELETE', `${SECRETS}/s`);
    await request('DELETE', `${SECRETS}/s`);
    await request(
      'GET',
      '/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/r',
    );
    await request('GET', '/version');
    const entries = sandbox.audit.entries();
    expect(
      entries.map(
        e =>
          `${e.method} ${e.verb} ${e.resource ?? e.path} ${e.name ?? '-'} ${
            e.statusCode
          }`,
      ),
    ).toEqual([
      'POST create secrets - 201',
      'GET get secrets s 200',
      'GET list secrets - 200',
      'PATCH patch secrets s 200',
      'DELETE delete secrets s 200',
      'DELETE delete secrets s 404',
      'GET get httproutes r 404',
      'GET get /version - 200',
    ]);
    expect(entries[0]).toMatchObject({
      source: 'http',
      actor: 'audit-test/1.0',
      apiGroup: '',
      apiVersion: 'v1',
      namespace: 'default',
      fieldManager: 'me',
      dryRun: false,
      query: { fieldManager: 'me' },
    });
    expect(entries[2].query).toEqual({ labelSelector: 'a=b' });
    expect(entries[3]).toMatchObject({
      dryRun: true,
      query: { dryRun: 'All' },
    });
    expect(entries[6]).toMatchObject({
      apiGroup: 'gateway.networking.k8s.io',
      resource: 'httproutes',
    });
    expect(new Date(entries[0].time).getTime()).toBeLessThanOrEqual(Date.now());
    sandbox.audit.clear();
    expect(sandbox.audit.entries()).toEqual([]);
  });

  it('keeps only the most recent entries', () => {
    const log = new RequestAuditLog(3);
    for (let i = 0; i < 2000; i++) {
      log.record({
        time: '',
        source: 'http',
        actor: '',
        method: 'GET',
        verb: 'get',
        path: `/${i}`,
        query: {},
        dryRun: false,
        statusCode: 200,
      });
    }
    expect(log.entries().map(e => e.path)).toEqual(['/1997', '/1998', '/1999']);
  });
});
