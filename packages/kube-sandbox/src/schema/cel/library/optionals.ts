import {
  CelFunc,
  celFunc,
  CelList,
  celList,
  celMethod,
  CelScalar,
  listType,
} from '@bufbuild/cel';

/**
 * Just enough of cel-go's optional values for `optionalOldSelf` rules
 * (k8s.io/apiextensions-apiserver pkg/apiserver/schema/cel/validation.go
 * binds `oldSelf` to `optional.none()` or `optional.of(old)`): `hasValue()`,
 * `value()`, `orValue(<default>)`, `optional.of`, `optional.none`. @bufbuild/cel
 * has no optional type (nor the `.?` syntax), so an optional is a list of
 * zero or one element that this module remembers having made.
 */

const OPTIONALS = new WeakSet<object>();
const LIST = listType(CelScalar.DYN);
const { DYN, BOOL } = CelScalar;

export function optionalOf(value: unknown | undefined): CelList {
  const list = celList(value === undefined ? [] : [value as never]);
  OPTIONALS.add(list);
  return list;
}

function checked(list: CelList): CelList {
  if (!OPTIONALS.has(list)) throw new Error('no such overload');
  return list;
}

export const optionalFunctions: CelFunc[] = [
  celFunc('optional.of', [DYN], LIST, v => optionalOf(v)),
  celFunc('optional.none', [], LIST, () => optionalOf(undefined)),
  celMethod('hasValue', LIST, [], BOOL, function hasValue(this: CelList) {
    return checked(this).size > 0;
  }),
  celMethod('value', LIST, [], DYN, function value(this: CelList) {
    if (checked(this).size === 0)
      throw new Error('optional.none() dereference');
    return this.get(0) as never;
  }),
  celMethod('orValue', LIST, [DYN], DYN, function orValue(this: CelList, d) {
    return (checked(this).size > 0 ? this.get(0) : d) as never;
  }),
];
