import {
  CelFunc,
  CelList,
  celMethod,
  CelScalar,
  listType,
} from '@bufbuild/cel';
import { celCompare, celEquals } from './celValueOrder';

/**
 * The Kubernetes list library, re-expressed from k8s.io/apiserver
 * pkg/cel/library/lists.go (v0.32.0): `isSorted`, `sum`, `min`, `max`,
 * `indexOf`, `lastIndexOf`.
 */

const LIST = listType(CelScalar.DYN);
const { DYN, BOOL, INT } = CelScalar;

function items(list: CelList): unknown[] {
  return [...list];
}

function extreme(list: CelList, name: string, sign: number): unknown {
  const values = items(list);
  if (values.length === 0) throw new Error(`${name} called on empty list`);
  return values.reduce((best, v) =>
    celCompare(v as never, best as never) * sign > 0 ? v : best,
  );
}

function sum(list: CelList): unknown {
  const values = items(list);
  if (values.length === 0) return 0n;
  if (values.every(v => typeof v === 'bigint')) {
    return (values as bigint[]).reduce((a, b) => a + b, 0n);
  }
  if (values.every(v => typeof v === 'number')) {
    return (values as number[]).reduce((a, b) => a + b, 0);
  }
  throw new Error('no such overload');
}

export const listFunctions: CelFunc[] = [
  celMethod('isSorted', LIST, [], BOOL, function isSorted(this: CelList) {
    const values = items(this);
    for (let i = 1; i < values.length; i++) {
      if (celCompare(values[i - 1] as never, values[i] as never) > 0) {
        return false;
      }
    }
    return true;
  }),
  celMethod('sum', LIST, [], DYN, function listSum(this: CelList) {
    return sum(this) as never;
  }),
  celMethod('min', LIST, [], DYN, function listMin(this: CelList) {
    return extreme(this, 'min', -1) as never;
  }),
  celMethod('max', LIST, [], DYN, function listMax(this: CelList) {
    return extreme(this, 'max', 1) as never;
  }),
  celMethod('indexOf', LIST, [DYN], INT, function indexOf(this: CelList, v) {
    return BigInt(items(this).findIndex(x => celEquals(x as never, v)));
  }),
  celMethod(
    'lastIndexOf',
    LIST,
    [DYN],
    INT,
    function lastIndexOf(this: CelList, v) {
      const values = items(this);
      for (let i = values.length - 1; i >= 0; i--) {
        if (celEquals(values[i] as never, v)) return BigInt(i);
      }
      return -1n;
    },
  ),
];
