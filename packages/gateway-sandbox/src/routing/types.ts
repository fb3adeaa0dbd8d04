import { KubeObject } from '../objects/types';

export type StringMatchType = 'Exact' | 'PathPrefix' | 'RegularExpression';

/** One HTTPRouteMatch, normalised as Envoy Gateway's IR holds it. */
export interface NormalisedMatch {
  /** Absent only when the match had no path (the CRD defaults `PathPrefix /`). */
  path?: { type: StringMatchType; value: string };
  /** Header matches; a `method` match is one more, on `:method` (Exact). */
  headers: Array<{
    name: string;
    type: 'Exact' | 'RegularExpression';
    value: string;
  }>;
  queryParams: Array<{
    name: string;
    type: 'Exact' | 'RegularExpression';
    value: string;
  }>;
}

/** One Envoy route: a (route, rule, match) on one virtual host. */
export interface RouteEntry {
  route: KubeObject;
  hostname: string;
  ruleIndex: number;
  /** Index of the match in the rule; -1 when the rule has none. */
  matchIndex: number;
  ruleName?: string;
  rule: any;
  match: NormalisedMatch;
}

/** What route selection looks at; built before the body is read. */
export interface RequestView {
  method: string;
  host: string;
  /** Path without the query string. */
  path: string;
  /** Raw query string without `?` ('' when none). */
  query: string;
  /** Header lookup by lower-case name; repeated headers joined with ','. */
  header(name: string): string | undefined;
}
