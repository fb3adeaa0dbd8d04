/**
 * A fault to inject into requests that match `method` and `path`.
 *
 * `path` is either a RegExp, tested against the path with its query string
 * (`/apis/x/v1/namespaces/a/things?watch=true`), or a string matched
 * against the path alone: exactly, or as a glob when it contains `*`
 * (`*` matches within one segment, `**` across segments).
 *
 * The fault waits `delayMs` (if set), then drops the connection (`drop`),
 * or answers `status` as a Kubernetes Status object, or lets the request
 * through (delay only). It applies to the next `times` matching requests,
 * or to all of them until cleared when `times` is not set.
 *
 * @public
 */
export interface FaultRule {
  method?: string;
  path: string | RegExp;
  status?: number;
  delayMs?: number;
  drop?: boolean;
  times?: number;
}

/** @public */
export interface FaultInjector {
  add(rule: FaultRule): void;
  clear(): void;
}

interface ActiveRule {
  rule: FaultRule;
  matcher: (pathname: string, fullPath: string) => boolean;
  remaining: number;
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (char === '*') {
      source += '[^/]*';
    } else {
      source += char.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

function matcherFor(path: string | RegExp): ActiveRule['matcher'] {
  if (path instanceof RegExp)
    return (_pathname, fullPath) => path.test(fullPath);
  if (path.includes('*')) {
    const regex = globToRegExp(path);
    return pathname => regex.test(pathname);
  }
  return pathname => pathname === path;
}

/** The sandbox's fault registry; also serves the admin endpoint. */
export class FaultRegistry implements FaultInjector {
  #rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    if (rule.times !== undefined && !(rule.times > 0)) {
      throw new Error(`fault rule "times" must be positive, got ${rule.times}`);
    }
    this.#rules.push({
      rule,
      matcher: matcherFor(rule.path),
      remaining: rule.times ?? Infinity,
    });
  }

  clear(): void {
    this.#rules = [];
  }

  /** Active rules with what is left of them, for the admin endpoint. */
  list() {
    return this.#rules.map(({ rule, remaining }) => ({
      ...rule,
      path: rule.path instanceof RegExp ? rule.path.source : rule.path,
      ...(rule.path instanceof RegExp ? { pathRegex: true } : {}),
      remaining: Number.isFinite(remaining) ? remaining : null,
    }));
  }

  /** Finds and uses up the first rule that matches a request. */
  take(method: string, url: string): FaultRule | undefined {
    const pathname = url.split('?')[0];
    const index = this.#rules.findIndex(
      ({ rule, matcher }) =>
        (!rule.method || rule.method.toUpperCase() === method.toUpperCase()) &&
        matcher(pathname, url),
    );
    if (index < 0) return undefined;
    const active = this.#rules[index];
    active.remaining -= 1;
    if (active.remaining <= 0) this.#rules.splice(index, 1);
    return active.rule;
  }
}
