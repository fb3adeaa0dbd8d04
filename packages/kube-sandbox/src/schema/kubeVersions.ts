/**
 * Kubernetes version priority (as in apimachinery's `CompareKubeAwareVersionStrings`):
 * GA before beta before alpha, higher numbers first, non-Kubernetes-looking
 * versions last in alphabetical order.
 */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] | undefined => {
    const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!match) return undefined;
    const STABILITY: Record<string, number> = { alpha: 1, beta: 2 };
    const stability = match[2] === undefined ? 3 : STABILITY[match[2]];
    return [stability, Number(match[1]), Number(match[3] ?? 0)];
  };
  const ra = rank(a);
  const rb = rank(b);
  if (!ra && !rb) return a.localeCompare(b);
  if (!ra) return 1;
  if (!rb) return -1;
  for (let i = 0; i < 3; i++) {
    if (ra[i] !== rb[i]) return rb[i] - ra[i];
  }
  return 0;
}

/** Splits `group/version` (or `v1`, the core group) into its parts. */
export function splitApiVersion(apiVersion: string): {
  group: string;
  version: string;
} {
  const slash = apiVersion.lastIndexOf('/');
  if (slash < 0) return { group: '', version: apiVersion };
  return {
    group: apiVersion.slice(0, slash),
    version: apiVersion.slice(slash + 1),
  };
}

export function joinApiVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}
