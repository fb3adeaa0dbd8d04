import { DNS_LABEL_PATTERN } from '@inference-in-a-box/backstage-plugin-inference-common';
import { assignEntityNames, candidateNames, NamingInput } from './entityNames';

const model = (
  tenant: string,
  name: string,
  cluster = 'local',
): NamingInput => ({
  key: `${cluster}/${tenant}/${name}`,
  tenant,
  name,
});

describe('assignEntityNames', () => {
  it('names a model after its InferenceService when the name is unique', () => {
    const names = assignEntityNames(
      [model('tenant-a', 'iris'), model('tenant-b', 't5')],
      new Set(),
    );
    expect(Object.fromEntries(names)).toEqual({
      'local/tenant-a/iris': 'iris',
      'local/tenant-b/t5': 't5',
    });
  });

  it('qualifies every model of a shared name with its tenant, whatever the listing order', () => {
    const models = [
      model('tenant-a', 'iris'),
      model('tenant-b', 'iris'),
      model('tenant-c', 'resnet'),
    ];
    const forward = assignEntityNames(models, new Set());
    expect(Object.fromEntries(forward)).toEqual({
      'local/tenant-a/iris': 'tenant-a-iris',
      'local/tenant-b/iris': 'tenant-b-iris',
      'local/tenant-c/resnet': 'resnet',
    });
    expect(assignEntityNames([...models].reverse(), new Set())).toEqual(
      forward,
    );
  });

  it('does not take a name another source uses', () => {
    const names = assignEntityNames(
      [model('tenant-b', 'sklearn-iris')],
      new Set(['sklearn-iris']),
    );
    expect(names.get('local/tenant-b/sklearn-iris')).toBe(
      'tenant-b-sklearn-iris',
    );
  });

  it('falls back to a hash of the key when even the qualified names clash', () => {
    // `a` + `b-c` and `a-b` + `c` both qualify to `a-b-c`.
    const models = [
      model('a', 'b-c'),
      model('a-b', 'c'),
      model('x', 'b-c'),
      model('y', 'c'),
    ];
    const names = [...assignEntityNames(models, new Set()).values()];
    expect(new Set(names).size).toBe(4);
    expect(names.filter(n => n.startsWith('a-b-c-'))).toHaveLength(2);
  });

  it('keeps qualified names within 63 characters', () => {
    const long = model(
      'a-tenant-with-a-rather-long-name',
      'and-a-model-with-a-rather-long-name-too',
    );
    const names = assignEntityNames(
      [long, { ...long, key: 'other/x/y', tenant: 'x' }],
      new Set(),
    );
    for (const name of names.values()) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(DNS_LABEL_PATTERN);
    }
  });

  it('lists the plain and qualified candidates, so the caller can ask which are taken', () => {
    expect(
      candidateNames([
        model('tenant-a', 'iris'),
        model('tenant-b', 'iris'),
      ]).sort(),
    ).toEqual(['iris', 'tenant-a-iris', 'tenant-b-iris']);
  });
});
