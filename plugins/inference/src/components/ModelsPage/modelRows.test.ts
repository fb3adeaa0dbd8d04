import { liveModel, modelEntity } from '../../__testUtils__/fixtures';
import { buildModelRows, filterModelRows, sortModelRows } from './modelRows';

describe('buildModelRows', () => {
  it('joins catalog models with live status by cluster, namespace and name', () => {
    const rows = buildModelRows(
      [
        modelEntity('sklearn-iris', { title: 'Iris' }),
        modelEntity('resnet', { tenant: 'tenant-c', framework: 'pytorch' }),
      ],
      [
        liveModel('sklearn-iris', { published: true }),
        liveModel('resnet', {
          namespace: 'tenant-c',
          tenant: 'tenant-c',
          ready: false,
          reason: 'MinimumReplicasUnavailable',
        }),
        // Same name and namespace on another cluster: must not be joined to the entity.
        liveModel('resnet', {
          namespace: 'tenant-c',
          tenant: 'tenant-c',
          cluster: 'other',
        }),
      ],
    );
    expect(
      rows.map(r => [
        r.displayName,
        r.status,
        r.statusReason,
        r.published,
        r.locator?.cluster,
      ]),
    ).toEqual([
      ['Iris', 'ready', undefined, true, 'local'],
      ['resnet', 'not-ready', 'MinimumReplicasUnavailable', false, 'local'],
      ['resnet', 'ready', undefined, false, 'other'],
    ]);
    expect(rows[2].entityRef).toBeUndefined();
  });

  it('marks catalog models without an InferenceService as not deployed, and all as unknown when the live list failed', () => {
    const entities = [modelEntity('t5', { tenant: 'tenant-b' })];
    expect(buildModelRows(entities, [])[0]).toMatchObject({
      status: 'not-deployed',
      tenant: 'tenant-b',
    });
    expect(buildModelRows(entities, undefined)[0]).toMatchObject({
      status: 'unknown',
      tenant: 'tenant-b',
    });
  });

  it('matches an entity without a cluster annotation when only one cluster has the model', () => {
    const rows = buildModelRows(
      [modelEntity('iris', { cluster: null })],
      [liveModel('iris', { cluster: 'east' })],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].locator).toEqual({
      cluster: 'east',
      namespace: 'tenant-a',
      name: 'iris',
    });
  });
});

describe('filterModelRows and sortModelRows', () => {
  const rows = buildModelRows(
    [
      modelEntity('alpha', { framework: 'sklearn' }),
      modelEntity('beta', {
        tenant: 'tenant-b',
        framework: 'huggingface',
        modelType: 'openai',
      }),
      modelEntity('gamma', { tenant: 'tenant-b', framework: 'pytorch' }),
    ],
    [
      liveModel('alpha'),
      liveModel('beta', {
        namespace: 'tenant-b',
        tenant: 'tenant-b',
        modelType: 'openai',
        framework: 'huggingface',
        ready: false,
      }),
    ],
  );
  const names = (r: typeof rows) => r.map(x => x.displayName);

  it('combines filters, and every search word must match', () => {
    expect(
      names(filterModelRows(rows, { search: '', tenant: 'tenant-b' })),
    ).toEqual(['beta', 'gamma']);
    expect(
      names(filterModelRows(rows, { search: '', status: 'not-deployed' })),
    ).toEqual(['gamma']);
    expect(
      names(filterModelRows(rows, { search: 'TENANT-B hugging' })),
    ).toEqual(['beta']);
    expect(
      names(filterModelRows(rows, { search: 'openai', tenant: 'tenant-a' })),
    ).toEqual([]);
  });

  it('sorts by a column in both directions without changing its input', () => {
    expect(
      names(sortModelRows(rows, { key: 'framework', direction: 'asc' })),
    ).toEqual(['beta', 'gamma', 'alpha']);
    expect(
      names(sortModelRows(rows, { key: 'status', direction: 'desc' })),
    ).toEqual(['gamma', 'beta', 'alpha']);
    expect(names(rows)).toEqual(['alpha', 'beta', 'gamma']);
  });
});
