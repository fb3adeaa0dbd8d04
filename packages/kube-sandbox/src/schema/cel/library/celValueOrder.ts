import { CelValue, isCelList, isCelMap } from '@bufbuild/cel';
import { isReflectMessage } from '@bufbuild/protobuf/reflect';

/**
 * Equality and ordering of plain CEL values for the list library
 * (cel-go `types` `Equal`/`Compare`, re-expressed for the values custom
 * resources hold: numbers of any kind, strings, booleans, bytes, null,
 * durations, timestamps, lists and maps).
 */

function messageNumber(value: unknown): number | undefined {
  if (!isReflectMessage(value)) return undefined;
  const message = value.message as unknown as {
    seconds?: bigint;
    nanos?: number;
  };
  if (message.seconds === undefined) return undefined;
  return Number(message.seconds) * 1e9 + (message.nanos ?? 0);
}

function numeric(value: unknown): number | bigint | undefined {
  if (typeof value === 'bigint' || typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && 'value' in value) {
    const inner = (value as { value: unknown }).value;
    if (typeof inner === 'bigint') return inner; // uint
  }
  return messageNumber(value);
}

export function celEquals(a: CelValue, b: CelValue): boolean {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) {
    // eslint-disable-next-line eqeqeq
    return x == y;
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((byte, i) => byte === b[i]);
  }
  if (isCelList(a) && isCelList(b)) {
    if (a.size !== b.size) return false;
    for (let i = 0; i < a.size; i++) {
      if (!celEquals(a.get(i)!, b.get(i)!)) return false;
    }
    return true;
  }
  if (isCelMap(a) && isCelMap(b)) {
    if (a.size !== b.size) return false;
    for (const [key, value] of a) {
      if (!b.has(key) || !celEquals(value, b.get(key)!)) return false;
    }
    return true;
  }
  return a === b;
}

/** Negative, zero or positive; throws for values without an order. */
export function celCompare(a: CelValue, b: CelValue): number {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) {
    if (x < y) return -1;
    return x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    if (a < b) return -1;
    return a > b ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    return Number(a) - Number(b);
  }
  throw new Error('no such overload');
}
