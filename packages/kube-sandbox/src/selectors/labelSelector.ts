/**
 * Label selectors in the query-string syntax of the Kubernetes API:
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a` (exists) and
 * `!a` (does not exist), joined by commas (AND).
 */

export type LabelRequirement =
  | { key: string; operator: 'in' | 'notin'; values: string[] }
  | { key: string; operator: 'exists' | 'doesnotexist' };

export type LabelSelector = LabelRequirement[];

export class SelectorParseError extends Error {}

const KEY = String.raw`[A-Za-z0-9][-A-Za-z0-9_./]*`;
const VALUE = String.raw`[-A-Za-z0-9_.]*`;

/** Splits on commas that are not inside a `( … )` value list. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(p => p !== '');
}

function parseRequirement(text: string): LabelRequirement {
  let match = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`).exec(text);
  if (match) {
    return {
      key: match[1],
      operator: match[2] === '!=' ? 'notin' : 'in',
      values: [match[3]],
    };
  }
  match = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^)]*)\\)$`).exec(text);
  if (match) {
    const values = match[3].split(',').map(v => v.trim());
    if (values.some(v => !new RegExp(`^${VALUE}$`).test(v))) {
      throw new SelectorParseError(`invalid label value in "${text}"`);
    }
    return { key: match[1], operator: match[2] as 'in' | 'notin', values };
  }
  match = new RegExp(`^(!?)\\s*(${KEY})$`).exec(text);
  if (match) {
    return { key: match[2], operator: match[1] ? 'doesnotexist' : 'exists' };
  }
  throw new SelectorParseError(`unable to parse requirement: "${text}"`);
}

export function parseLabelSelector(
  selector: string | undefined | null,
): LabelSelector {
  if (!selector) return [];
  return splitTopLevel(selector).map(parseRequirement);
}

export function matchesLabelSelector(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  const actual = labels ?? {};
  return selector.every(req => {
    const has = Object.prototype.hasOwnProperty.call(actual, req.key);
    switch (req.operator) {
      case 'exists':
        return has;
      case 'doesnotexist':
        return !has;
      case 'in':
        return has && req.values.includes(actual[req.key]);
      case 'notin':
        return !has || !req.values.includes(actual[req.key]);
      default:
        return false;
    }
  });
}
