import { computeHosts, selectVirtualHost } from './hostnames';
import { normaliseMatch } from './routeTable';
import { matchesRequest } from './matchRequest';
import { sortByPrecedence } from './precedence';
import { RequestView, RouteEntry } from './types';

function entry(
  name: string,
  match: any,
  created = '2026-01-01T00:00:00Z',
): RouteEntry {
  return {
    route: { metadata: { name, namespace: 'ns', creationTimestamp: created } },
    hostname: 'h',
    ruleIndex: 0,
    matchIndex: 0,
    rule: {},
    match: normaliseMatch(match),
  };
}

function request(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): RequestView {
  const [p, q = ''] = path.split('?');
  return { method, host: 'h', path: p, query: q, header: n => headers[n] };
}

const order = (entries: RouteEntry[]) =>
  sortByPrecedence(entries).map(e => e.route.metadata.name);

describe('route precedence (EG v1.9.0 sort.go)', () => {
  it('puts Exact before RegularExpression before PathPrefix', () => {
    expect(
      order([
        entry('prefix', { path: { type: 'PathPrefix', value: '/a/b/c/d' } }),
        entry('regex', { path: { type: 'RegularExpression', value: '/a.*' } }),
        entry('exact', { path: { type: 'Exact', value: '/a' } }),
      ]),
    ).toEqual(['exact', 'regex', 'prefix']);
  });

  it('prefers the longer prefix, then more headers, then more Exact headers', () => {
    expect(
      order([
        entry('root', {}),
        entry('short', { path: { value: '/a' } }),
        entry('long', { path: { value: '/a/b' } }),
        entry('regexHeader', {
          headers: [{ type: 'RegularExpression', name: 'x', value: '.*' }],
        }),
        entry('exactHeader', { headers: [{ name: 'x', value: 'y' }] }),
        entry('twoHeaders', {
          headers: [
            { name: 'x', value: 'y' },
            { name: 'z', value: 'w' },
          ],
        }),
      ]),
    ).toEqual([
      'long',
      'short',
      'twoHeaders',
      'exactHeader',
      'regexHeader',
      'root',
    ]);
  });

  it('counts a method match as an Exact header and ranks query params after headers', () => {
    expect(
      order([
        entry('query', { queryParams: [{ name: 'q', value: '1' }] }),
        entry('method', { method: 'POST' }),
        entry('plain', {}),
      ]),
    ).toEqual(['method', 'query', 'plain']);
  });

  it('keeps input order (oldest route first) on ties', () => {
    expect(order([entry('first', {}), entry('second', {})])).toEqual([
      'first',
      'second',
    ]);
  });
});

describe('request matching', () => {
  it('matches PathPrefix on whole segments only', () => {
    const m = normaliseMatch({
      path: { type: 'PathPrefix', value: '/models/a/' },
    });
    expect(matchesRequest(m, request('/models/a'))).toBe(true);
    expect(matchesRequest(m, request('/models/a/x?y=1'))).toBe(true);
    expect(matchesRequest(m, request('/models/ab'))).toBe(false);
  });

  it('matches Exact on the path without the query, regexes on the whole value', () => {
    expect(
      matchesRequest(
        normaliseMatch({ path: { type: 'Exact', value: '/a' } }),
        request('/a?x=1'),
      ),
    ).toBe(true);
    const regex = normaliseMatch({
      path: { type: 'RegularExpression', value: '/v[0-9]' },
    });
    expect(matchesRequest(regex, request('/v1'))).toBe(true);
    expect(matchesRequest(regex, request('/v1/x'))).toBe(false);
  });

  it('matches headers, method and query params', () => {
    const m = normaliseMatch({
      method: 'POST',
      headers: [{ name: 'X-Model', value: 'a' }],
      queryParams: [{ name: 'v', type: 'RegularExpression', value: '[0-9]+' }],
    });
    expect(
      matchesRequest(m, request('/?v=12', { 'x-model': 'a' }, 'POST')),
    ).toBe(true);
    expect(
      matchesRequest(m, request('/?v=12', { 'x-model': 'a' }, 'GET')),
    ).toBe(false);
    expect(
      matchesRequest(m, request('/?v=1x', { 'x-model': 'a' }, 'POST')),
    ).toBe(false);
    expect(matchesRequest(m, request('/?v=12', {}, 'POST'))).toBe(false);
  });
});

describe('hostnames', () => {
  it('intersects route and listener hostnames, leaving other listeners their own', () => {
    expect(
      computeHosts(['a.example.com', 'b.other.com'], '*.example.com', []),
    ).toEqual(['a.example.com']);
    expect(computeHosts([], '*.example.com', [])).toEqual(['*.example.com']);
    expect(computeHosts(['*.com'], 'api.example.com', [])).toEqual([
      'api.example.com',
    ]);
    expect(
      computeHosts(['api.example.com'], '*.example.com', ['api.example.com']),
    ).toEqual([]);
  });

  it('selects exact domains before wildcards, the longest wildcard first', () => {
    const domains = [
      '*',
      '*.example.com',
      '*.b.example.com',
      'a.b.example.com',
    ];
    expect(selectVirtualHost(domains, 'A.b.example.com')).toBe(
      'a.b.example.com',
    );
    expect(selectVirtualHost(domains, 'c.b.example.com')).toBe(
      '*.b.example.com',
    );
    expect(selectVirtualHost(domains, 'c.example.com')).toBe('*.example.com');
    expect(selectVirtualHost(domains, 'other.org')).toBe('*');
    expect(
      selectVirtualHost(['a.example.com'], 'a.example.com:80'),
    ).toBeUndefined();
  });
});
