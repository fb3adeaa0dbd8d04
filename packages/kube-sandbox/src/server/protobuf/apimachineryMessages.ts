import {
  bool,
  int32,
  int64,
  map,
  MessageDescriptor,
  msg,
  msgs,
  str,
  strings,
} from './descriptors';

/**
 * Messages of k8s.io/apimachinery v0.32.4 (the version of Kubernetes v1.32
 * the sandbox reports): pkg/runtime/generated.proto (`Unknown`,
 * `TypeMeta`), pkg/apis/meta/v1/generated.proto, pkg/api/resource
 * (`Quantity`) and pkg/util/intstr (`IntOrString`). `Time`, `Quantity`,
 * `IntOrString` and `FieldsV1` are turned into their JSON forms by
 * decodeMessage.ts.
 */

export const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
export const OBJECT_META = `${META}.ObjectMeta`;
export const TIME = `${META}.Time`;
export const FIELDS_V1 = `${META}.FieldsV1`;
export const LABEL_SELECTOR = `${META}.LabelSelector`;
export const QUANTITY = 'k8s.io.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'k8s.io.apimachinery.pkg.util.intstr.IntOrString';
export const UNKNOWN = 'k8s.io.apimachinery.pkg.runtime.Unknown';
export const DELETE_OPTIONS = `${META}.DeleteOptions`;

export const APIMACHINERY_MESSAGES: Record<string, MessageDescriptor> = {
  [UNKNOWN]: {
    1: msg('typeMeta', 'k8s.io.apimachinery.pkg.runtime.TypeMeta'),
    2: { name: 'raw', type: 'bytes' },
    3: str('contentEncoding'),
    4: str('contentType'),
  },
  'k8s.io.apimachinery.pkg.runtime.TypeMeta': {
    1: str('apiVersion'),
    2: str('kind'),
  },
  [OBJECT_META]: {
    1: str('name'),
    2: str('generateName'),
    3: str('namespace'),
    4: str('selfLink'),
    5: str('uid'),
    6: str('resourceVersion'),
    7: int64('generation'),
    8: msg('creationTimestamp', TIME),
    9: msg('deletionTimestamp', TIME),
    10: int64('deletionGracePeriodSeconds', { pointer: true }),
    11: map('labels', 'string'),
    12: map('annotations', 'string'),
    13: msgs('ownerReferences', `${META}.OwnerReference`),
    14: strings('finalizers'),
    17: msgs('managedFields', `${META}.ManagedFieldsEntry`),
  },
  [TIME]: { 1: int64('seconds'), 2: int32('nanos') },
  [`${META}.OwnerReference`]: {
    1: str('kind'),
    3: str('name'),
    4: str('uid'),
    5: str('apiVersion'),
    6: bool('controller', { pointer: true }),
    7: bool('blockOwnerDeletion', { pointer: true }),
  },
  [`${META}.ManagedFieldsEntry`]: {
    1: str('manager'),
    2: str('operation'),
    3: str('apiVersion'),
    4: msg('time', TIME),
    6: str('fieldsType'),
    7: msg('fieldsV1', FIELDS_V1),
    8: str('subresource'),
  },
  [FIELDS_V1]: { 1: { name: 'Raw', type: 'bytes' } },
  [LABEL_SELECTOR]: {
    1: map('matchLabels', 'string'),
    2: msgs('matchExpressions', `${META}.LabelSelectorRequirement`),
  },
  [`${META}.LabelSelectorRequirement`]: {
    1: str('key'),
    2: str('operator'),
    3: strings('values'),
  },
  [DELETE_OPTIONS]: {
    1: int64('gracePeriodSeconds', { pointer: true }),
    2: msg('preconditions', `${META}.Preconditions`),
    3: bool('orphanDependents', { pointer: true }),
    4: str('propagationPolicy', { pointer: true }),
    5: strings('dryRun'),
    6: bool('ignoreStoreReadErrorWithClusterBreakingPotential', {
      pointer: true,
    }),
  },
  [`${META}.Preconditions`]: {
    1: str('uid', { pointer: true }),
    2: str('resourceVersion', { pointer: true }),
  },
  [QUANTITY]: { 1: str('string') },
  [INT_OR_STRING]: { 1: int64('type'), 2: int32('intVal'), 3: str('strVal') },
};
