/**
 * Kubernetes resource quantities (`500m`, `1.5`, `2Gi`, `1e3`), without sign: what cpu and memory
 * requests and limits accept.
 */
export const QUANTITY_PATTERN =
  /^(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;

const BINARY_SUFFIXES: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL_SUFFIXES: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/**
 * The value of a quantity as a number, precise enough to compare a request with a limit;
 * undefined when the text is not a quantity.
 */
export function quantityValue(text: string): number | undefined {
  const match = QUANTITY_PATTERN.exec(text);
  if (!match) {
    return undefined;
  }
  const number = Number(match[1]);
  const suffix = match[3] ?? '';
  if (suffix in BINARY_SUFFIXES) {
    return number * BINARY_SUFFIXES[suffix];
  }
  if (suffix in DECIMAL_SUFFIXES) {
    return number * DECIMAL_SUFFIXES[suffix];
  }
  return number * 10 ** Number(suffix.slice(1));
}
