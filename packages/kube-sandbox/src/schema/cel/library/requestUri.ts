/**
 * Go's URL parsing as the Kubernetes URL library uses it, re-expressed from
 * Go's net/url/url.go (`ParseRequestURI`, `Parse`, `parseAuthority`,
 * `parseHost`, `unescape`, `shouldEscape`, `splitHostPort`): an absolute
 * URI or an absolute path, with Go's checks of the scheme, userinfo, host,
 * port and %-escapes. Errors carry Go's wording.
 */

export interface ParsedUrl {
  scheme: string;
  opaque: string;
  host: string;
  /** The path as written (still escaped). */
  rawPath: string;
  rawQuery: string;
}

class UrlError extends Error {}

function fail(raw: string, detail: string): never {
  throw new UrlError(`parse ${JSON.stringify(raw)}: ${detail}`);
}

function isLetter(c: string) {
  return /[A-Za-z]/.test(c);
}

/** Splits off `scheme:`; no scheme when the text does not start like one. */
function splitScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (isLetter(c)) continue;
    if (/[0-9+.-]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) fail(raw, 'missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

const HOST_PUNCTUATION = new Set(`!$&'()*+,;=:[]<>"-_.~`);

function shouldEscapeInHost(c: string): boolean {
  return !/[A-Za-z0-9]/.test(c) && !HOST_PUNCTUATION.has(c);
}

/** Checks %-escapes (and, in a host, the characters allowed there). */
function checkEscapes(raw: string, s: string, inHost: boolean) {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
        fail(raw, `invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      }
      if (inHost && parseInt(hex[0], 16) < 8 && hex !== '25') {
        fail(raw, `invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      }
      i += 2;
    } else if (inHost && c.charCodeAt(0) < 0x80 && shouldEscapeInHost(c)) {
      fail(raw, `invalid character ${JSON.stringify(c)} in host name`);
    }
  }
}

function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

function checkHost(raw: string, host: string) {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) fail(raw, "missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) {
      fail(raw, `invalid port ${JSON.stringify(colonPort)} after host`);
    }
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0 && !validOptionalPort(host.slice(colon))) {
      fail(raw, `invalid port ${JSON.stringify(host.slice(colon))} after host`);
    }
  }
  checkEscapes(raw, host, true);
}

function checkAuthority(raw: string, authority: string): string {
  const at = authority.lastIndexOf('@');
  const host = at < 0 ? authority : authority.slice(at + 1);
  checkHost(raw, host);
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) {
      fail(raw, 'net/url: invalid userinfo');
    }
    checkEscapes(raw, userinfo, false);
  }
  return host;
}

function parse(raw: string, viaRequest: boolean): ParsedUrl {
  if ([...raw].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
    fail(raw, 'net/url: invalid control character in URL');
  }
  const url: ParsedUrl = {
    scheme: '',
    opaque: '',
    host: '',
    rawPath: '',
    rawQuery: '',
  };
  if (raw === '' && viaRequest) fail(raw, 'empty url');
  if (raw === '*') return { ...url, rawPath: '*' };
  const [scheme, afterScheme] = splitScheme(raw);
  url.scheme = scheme.toLowerCase();
  let rest = afterScheme;
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
    rest = rest.slice(0, -1);
  } else if (rest.includes('?')) {
    url.rawQuery = rest.slice(rest.indexOf('?') + 1);
    rest = rest.slice(0, rest.indexOf('?'));
  }
  if (!rest.startsWith('/')) {
    if (url.scheme !== '') return { ...url, opaque: rest };
    if (viaRequest) fail(raw, 'invalid URI for request');
    const colon = rest.indexOf(':');
    const slash = rest.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash)) {
      fail(raw, 'first path segment in URL cannot contain colon');
    }
  }
  if (
    (url.scheme !== '' || (!viaRequest && !rest.startsWith('///'))) &&
    rest.startsWith('//')
  ) {
    const authorityAndPath = rest.slice(2);
    const slash = authorityAndPath.indexOf('/');
    const authority =
      slash < 0 ? authorityAndPath : authorityAndPath.slice(0, slash);
    rest = slash < 0 ? '' : authorityAndPath.slice(slash);
    url.host = checkAuthority(raw, authority);
  }
  checkEscapes(raw, rest, false);
  url.rawPath = rest;
  return url;
}

/** `url.ParseRequestURI`: throws for anything but an absolute URI or absolute path. */
export function parseRequestUri(raw: string): ParsedUrl {
  return parse(raw, true);
}

/** `url.Parse` (fragment removed), used for the URL's parts once ParseRequestURI accepted it. */
export function parseUrl(raw: string): ParsedUrl {
  const hash = raw.indexOf('#');
  return parse(hash < 0 ? raw : raw.slice(0, hash), false);
}

/** `URL.Hostname()` and `URL.Port()` (Go's `splitHostPort`). */
export function splitHostPort(hostPort: string): [string, string] {
  let host = hostPort;
  let port = '';
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && validOptionalPort(host.slice(colon))) {
    port = host.slice(colon + 1);
    host = host.slice(0, colon);
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return [host, port];
}

/** `URL.EscapedPath()`: the path as written when it is a valid encoding, else escaped. */
export function escapedPath(rawPath: string): string {
  if (/^[A-Za-z0-9\-._~!$&'()*+,;=:@/%[\]]*$/.test(rawPath)) return rawPath;
  return encodeURI(decodeURIComponent(rawPath));
}

/** `URL.Query()`: the query in "matrix" form, keys and values unescaped; bad pairs are skipped. */
export function parseQuery(rawQuery: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    try {
      const key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      const value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
      result.set(key, [...(result.get(key) ?? []), value]);
    } catch {
      // Go skips pairs with invalid escapes
    }
  }
  return result;
}

export function isUrlError(error: unknown): error is Error {
  return error instanceof UrlError;
}
