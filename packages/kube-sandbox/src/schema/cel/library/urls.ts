import { CelFunc, celFunc, celMethod, CelScalar } from '@bufbuild/cel';
import { opaqueText, URL_TYPE } from '../opaqueTypes';
import {
  escapedPath,
  parseQuery,
  parseRequestUri,
  parseUrl,
  splitHostPort,
} from './requestUri';

/**
 * The Kubernetes URL library, re-expressed from k8s.io/apiserver
 * pkg/cel/library/urls.go (v0.32.0): `url(<string>)` (an error unless Go's
 * `url.ParseRequestURI` accepts the string: an absolute URI or an absolute
 * path), `isURL(<string>)`, and the getters `getScheme`, `getHost`,
 * `getHostname`, `getPort`, `getEscapedPath`, `getQuery` of a URL.
 */

const { STRING, BOOL, DYN } = CelScalar;
const URL = URL_TYPE.type;

function parts(value: unknown) {
  return parseUrl(opaqueText(value));
}

export const urlFunctions: CelFunc[] = [
  celFunc('url', [STRING], URL, text => {
    try {
      parseRequestUri(text);
    } catch (error) {
      throw new Error(
        `URL parse error during conversion from string: ${
          (error as Error).message
        }`,
      );
    }
    return URL_TYPE.of(text) as never;
  }),
  celFunc('isURL', [STRING], BOOL, text => {
    try {
      parseRequestUri(text);
      return true;
    } catch {
      return false;
    }
  }),
  celMethod('getScheme', URL, [], STRING, function getScheme() {
    return parts(this).scheme;
  }),
  celMethod('getHost', URL, [], STRING, function getHost() {
    return parts(this).host;
  }),
  celMethod('getHostname', URL, [], STRING, function getHostname() {
    return splitHostPort(parts(this).host)[0];
  }),
  celMethod('getPort', URL, [], STRING, function getPort() {
    return splitHostPort(parts(this).host)[1];
  }),
  celMethod('getEscapedPath', URL, [], STRING, function getEscapedPath() {
    return escapedPath(parts(this).rawPath);
  }),
  celMethod('getQuery', URL, [], DYN, function getQuery() {
    return parseQuery(parts(this).rawQuery) as never;
  }),
];
