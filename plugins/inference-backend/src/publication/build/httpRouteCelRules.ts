import {
  checkUniqueRuleNames,
  has,
  Json,
  object,
  objects,
  Report,
} from './celRuleHelpers';

/**
 * The CEL rules of Gateway API's HTTPRoute (v1.6.1, config/crd/experimental/
 * gateway.networking.k8s.io_httproutes.yaml) that the route builder could break: path match
 * values, filter fields matching their type, and rewrite/redirect combinations.
 */

const PATH_CHARACTERS =
  /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;

function pathValueProblems(value: string): string[] {
  const problems: string[] = [];
  const when = "when type one of ['Exact', 'PathPrefix']";
  if (!value.startsWith('/'))
    problems.push(`value must be an absolute path and start with '/' ${when}`);
  for (const part of ['//', '/./', '/../', '%2f', '%2F', '#']) {
    if (value.includes(part))
      problems.push(`must not contain '${part}' ${when}`);
  }
  for (const end of ['/..', '/.']) {
    if (value.endsWith(end))
      problems.push(`must not end with '${end}' ${when}`);
  }
  if (!PATH_CHARACTERS.test(value))
    problems.push(
      `must only contain valid characters (matching ${PATH_CHARACTERS.source}) for types ['Exact', 'PathPrefix']`,
    );
  return problems;
}

const FILTER_FIELDS: Record<string, string> = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  ExtensionRef: 'extensionRef',
};

function checkHttpRouteFilters(filters: Json[], field: string, report: Report) {
  for (const type of Object.keys(FILTER_FIELDS).filter(
    t => t !== 'ExtensionRef',
  )) {
    if (filters.filter(f => f.type === type).length > 1) {
      report(field, `${type} filter cannot be repeated`);
    }
  }
  if (
    filters.some(f => f.type === 'RequestRedirect') &&
    filters.some(f => f.type === 'URLRewrite')
  ) {
    report(
      field,
      'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both',
    );
  }
  filters.forEach((filter, i) => {
    for (const [type, key] of Object.entries(FILTER_FIELDS)) {
      if (has(filter, key) && filter.type !== type) {
        report(
          `${field}[${i}]`,
          `filter.${key} must be nil if the filter.type is not ${type}`,
        );
      }
      if (!has(filter, key) && filter.type === type) {
        report(
          `${field}[${i}]`,
          `filter.${key} must be specified for ${type} filter.type`,
        );
      }
    }
    const path = object(object(filter.urlRewrite).path);
    if (
      path.type === 'ReplacePrefixMatch' &&
      !has(path, 'replacePrefixMatch')
    ) {
      report(
        `${field}[${i}].urlRewrite.path`,
        "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'",
      );
    }
    if (has(path, 'replacePrefixMatch') && path.type !== 'ReplacePrefixMatch') {
      report(
        `${field}[${i}].urlRewrite.path`,
        "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set",
      );
    }
  });
}

export function checkHTTPRoute(spec: Json, report: Report) {
  const rules = objects(spec.rules);
  checkUniqueRuleNames(
    rules,
    'Rule name must be unique within the route',
    report,
  );
  rules.forEach((rule, i) => {
    const field = `spec.rules[${i}]`;
    const filters = objects(rule.filters);
    const matches = objects(rule.matches);
    checkHttpRouteFilters(filters, `${field}.filters`, report);
    const rewritesPrefix = filters.some(
      f => object(object(f.urlRewrite).path).type === 'ReplacePrefixMatch',
    );
    if (
      rewritesPrefix &&
      (matches.length !== 1 || object(matches[0].path).type !== 'PathPrefix')
    ) {
      report(
        field,
        'When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified',
      );
    }
    matches.forEach((match, j) => {
      const path = object(match.path);
      if (
        ['Exact', 'PathPrefix'].includes(String(path.type)) &&
        typeof path.value === 'string'
      ) {
        for (const problem of pathValueProblems(path.value)) {
          report(`${field}.matches[${j}].path`, problem);
        }
      }
    });
    objects(rule.backendRefs).forEach((ref, j) => {
      const isService =
        (ref.group ?? '') === '' && (ref.kind ?? 'Service') === 'Service';
      if (isService && !has(ref, 'port')) {
        report(
          `${field}.backendRefs[${j}]`,
          'Must have port for Service reference',
        );
      }
    });
  });
}
