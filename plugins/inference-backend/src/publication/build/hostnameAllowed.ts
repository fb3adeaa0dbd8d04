/**
 * Whether a publication may use `hostname`, given the allowed list from configuration. Entries are
 * exact hostnames or `*.domain`, which matches exactly one label in front of `domain`
 * (`a.domain`, not `a.b.domain` and not `domain`). That is deliberately stricter than Gateway
 * API, whose `*.` is a suffix match over any number of labels: an allow list should not grant
 * more than it visibly says. Comparison ignores case and a trailing dot.
 */
export function hostnameAllowed(
  hostname: string,
  allowList: readonly string[],
): boolean {
  const host = normalize(hostname);
  if (!host || host.includes('*')) {
    return false;
  }
  return allowList.some(entry => {
    const pattern = normalize(entry);
    if (pattern.startsWith('*.')) {
      const domain = pattern.slice(2);
      if (!domain || domain.includes('*') || !host.endsWith(`.${domain}`)) {
        return false;
      }
      const label = host.slice(0, host.length - domain.length - 1);
      return label.length > 0 && !label.includes('.');
    }
    return !pattern.includes('*') && pattern === host;
  });
}

function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}
