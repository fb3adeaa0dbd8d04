/**
 * Envoy's weighted pick (source/common/router/weighted_cluster_specifier.cc
 * `pickClusterIndex`; the locality pick of a locality-weighted cluster
 * gives the same proportions): a value in [0, total) falls into the
 * interval of one entry, in order; entries of weight 0 have none. Undefined
 * when every weight is 0.
 */
export function weightedPick<T>(
  items: readonly T[],
  weight: (item: T) => number,
  random: () => number = Math.random,
): T | undefined {
  const total = items.reduce((sum, item) => sum + Math.max(weight(item), 0), 0);
  if (!(total > 0)) return undefined;
  let point = Math.min(Math.floor(random() * total), total - 1);
  for (const item of items) {
    const w = Math.max(weight(item), 0);
    if (point < w) return item;
    point -= w;
  }
  return undefined;
}
