import { badRequest } from '../../api/statusErrors';

/**
 * Whether a GET asks for a `meta.k8s.io` Table, as kubectl does for human
 * output (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io,
 * application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json`),
 * and with which row objects (`includeObject`). Follows
 * k8s.io/apiserver pkg/endpoints/handlers/negotiation/negotiate.go and
 * handlers/response.go `asTable` (v0.32): clauses are taken by quality,
 * then in order; a Table clause counts only for group `meta.k8s.io` and
 * version v1 or v1beta1.
 */

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableRequest {
  /** `meta.k8s.io/v1` or `meta.k8s.io/v1beta1`. */
  apiVersion: string;
  includeObject: IncludeObject;
  /** The Content-Type of the answer, e.g. `application/json;as=Table;v=v1;g=meta.k8s.io`. */
  contentType: string;
}

interface Clause {
  type: string;
  params: Record<string, string>;
  quality: number;
}

function parseAccept(accept: string): Clause[] {
  return accept
    .split(',')
    .map(part => part.trim())
    .filter(part => part !== '')
    .map(part => {
      const [type, ...rest] = part.split(';').map(p => p.trim());
      const params: Record<string, string> = {};
      for (const param of rest) {
        const eq = param.indexOf('=');
        if (eq > 0)
          params[param.slice(0, eq).trim()] = param.slice(eq + 1).trim();
      }
      const quality = params.q === undefined ? 1 : Number(params.q);
      return {
        type: type.toLowerCase(),
        params,
        quality: Number.isNaN(quality) ? 0 : quality,
      };
    })
    .filter(c => c.quality > 0)
    .sort((a, b) => b.quality - a.quality);
}

const JSON_TYPES = new Set(['application/json', 'application/*', '*/*']);

function includeObjectOf(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject') ?? '';
  if (value === '' || value === 'Metadata') return 'Metadata';
  if (value === 'None' || value === 'Object') return value;
  throw badRequest(`unrecognized includeObject value: "${value}"`);
}

/**
 * The Table the client asked for, or undefined when it wants the objects
 * themselves (or asked for nothing the sandbox can produce, which is
 * answered with JSON objects rather than 406).
 */
export function tableRequest(
  accept: string | undefined,
  query: URLSearchParams,
): TableRequest | undefined {
  for (const clause of parseAccept(accept ?? '')) {
    const { as, g, v } = clause.params;
    if (as === undefined) return undefined;
    if (
      as === 'Table' &&
      g === 'meta.k8s.io' &&
      (v === 'v1' || v === 'v1beta1') &&
      JSON_TYPES.has(clause.type)
    ) {
      return {
        apiVersion: `meta.k8s.io/${v}`,
        includeObject: includeObjectOf(query),
        contentType: `application/json;as=Table;v=${v};g=meta.k8s.io`,
      };
    }
  }
  return undefined;
}
