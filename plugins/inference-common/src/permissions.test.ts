import {
  isCreatePermission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  INFERENCE_MODEL_RESOURCE_TYPE,
  inferenceAdminPermission,
  inferenceModelCreatePermission,
  inferencePermissions,
  parseInferenceModelRef,
  stringifyInferenceModelRef,
} from './permissions';

describe('inference permissions', () => {
  it('lists every permission once, with the documented names', () => {
    expect(inferencePermissions.map(p => p.name).sort()).toEqual([
      'inference.admin',
      'inference.model.create',
      'inference.model.delete',
      'inference.model.keys.manage',
      'inference.model.publish',
      'inference.model.read',
      'inference.model.test',
      'inference.model.update',
    ]);
  });

  it('makes admin a basic permission and all others model resource permissions', () => {
    expect(inferenceAdminPermission.type).toBe('basic');
    expect(isResourcePermission(inferenceAdminPermission)).toBe(false);
    for (const permission of inferencePermissions.filter(
      p => p !== inferenceAdminPermission,
    )) {
      expect(
        isResourcePermission(permission, INFERENCE_MODEL_RESOURCE_TYPE),
      ).toBe(true);
    }
  });

  it('lets create be checked against a tenant', () => {
    expect(isCreatePermission(inferenceModelCreatePermission)).toBe(true);
    expect(isResourcePermission(inferenceModelCreatePermission)).toBe(true);
  });
});

describe('model resource refs', () => {
  it('round-trips cluster, namespace and name', () => {
    const ref = stringifyInferenceModelRef({
      cluster: 'kind',
      namespace: 'tenant-a',
      name: 'iris',
    });
    expect(ref).toBe('kind/tenant-a/iris');
    expect(parseInferenceModelRef(ref)).toEqual({
      cluster: 'kind',
      namespace: 'tenant-a',
      name: 'iris',
    });
  });

  it('accepts cluster names that contain slashes', () => {
    expect(parseInferenceModelRef('eu/prod/tenant-b/t5')).toEqual({
      cluster: 'eu/prod',
      namespace: 'tenant-b',
      name: 't5',
    });
  });

  it('rejects refs without a cluster or with invalid names', () => {
    expect(() => parseInferenceModelRef('tenant-a/iris')).toThrow(TypeError);
    expect(() => parseInferenceModelRef('/tenant-a/iris')).toThrow(TypeError);
    expect(() => parseInferenceModelRef('kind/Tenant_A/iris')).toThrow(
      TypeError,
    );
    expect(() =>
      stringifyInferenceModelRef({
        cluster: 'kind',
        namespace: 'a/b',
        name: 'x',
      }),
    ).toThrow(TypeError);
  });
});
