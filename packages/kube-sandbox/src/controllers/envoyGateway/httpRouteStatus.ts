import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject } from '../../store/types';
import { condition, Condition } from '../conditions';
import { ControllerClient } from '../controllerClient';
import { backendRefProblem, RouteProblem } from './backendRefChecks';

/**
 * The `status.parents` Envoy Gateway writes on an HTTPRoute, re-expressed from envoyproxy/gateway
 * v1.9.0 internal/gatewayapi/route.go (`processHTTPRouteParentRefs`, `processHTTPRouteRules`,
 * `processAllowedListenersForParentRefs`), filters.go (`processExtensionRefHTTPFilter`,
 * `processUnresolvedHTTPFilter`) and status/ (error.go `TypedErrorCollector`, `MultiStatusError`;
 * conditions.go `Error2ConditionMsg`; route.go `SetRouteStatusCondition`).
 *
 * The sandbox takes every parentRef as a Gateway of Envoy Gateway's class with a listener that
 * admits the route: it does not check that the Gateway exists (Envoy Gateway gives a route to a
 * missing Gateway no status at all).
 */

type Json = Record<string, unknown>;

export const ENVOY_GATEWAY_CONTROLLER =
  'gateway.envoyproxy.io/gatewayclass-controller';

/** Condition messages are cut at 32 KiB (status/conditions.go). */
const MAX_MESSAGE = 32768;
const TRUNCATED = ' (message truncated).';

/** `status.Error2ConditionMsg`: first letter upper-cased, a full stop at the end. */
export function errorToConditionMessage(message: string): string {
  if (message === '') return message;
  const first = message[0];
  let text = /\p{L}/u.test(first)
    ? first.toUpperCase() + message.slice(1)
    : message;
  if (!text.endsWith('.')) text += '.';
  return text;
}

function truncate(message: string): string {
  return message.length <= MAX_MESSAGE
    ? message
    : message.slice(0, MAX_MESSAGE - TRUNCATED.length) + TRUNCATED;
}

function listOf(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

/** A missing HTTPRouteFilter named by an ExtensionRef filter of a rule. */
function filterProblem(
  client: ControllerClient,
  route: KubeObject,
  rule: Json,
): RouteProblem | undefined {
  for (const filter of listOf(rule.filters)) {
    const ref = isPlainObject(filter.extensionRef)
      ? filter.extensionRef
      : undefined;
    if (filter.type !== 'ExtensionRef' || !ref) continue;
    if (ref.group !== 'gateway.envoyproxy.io' || ref.kind !== 'HTTPRouteFilter')
      continue;
    const namespace = route.metadata.namespace;
    const found = client.get(
      'gateway.envoyproxy.io/v1alpha1',
      'HTTPRouteFilter',
      namespace,
      String(ref.name),
    );
    if (!found) {
      // The first unresolved filter turns the rule into a 500 and stops the filter processing.
      return {
        type: 'ResolvedRefs',
        reason: 'UnsupportedValue',
        message: `Unable to translate HTTPRouteFilter: ${namespace}/${ref.name}`,
      };
    }
  }
  return undefined;
}

/** Every problem of the route's rules, in upstream's order: per rule, its filters then its backendRefs. */
export function routeProblems(
  client: ControllerClient,
  route: KubeObject,
): RouteProblem[] {
  const spec = isPlainObject(route.spec) ? route.spec : {};
  return listOf(spec.rules).flatMap((rule, ruleIndex) => {
    const problems: RouteProblem[] = [];
    const filter = filterProblem(client, route, rule);
    if (filter) problems.push(filter);
    listOf(rule.backendRefs).forEach((ref, refIndex) => {
      const problem = backendRefProblem({ client, route }, ref);
      if (!problem) return;
      problems.push(
        problem.type === 'ResolvedRefs'
          ? {
              ...problem,
              message: `failed to process route rule ${ruleIndex} backendRef ${refIndex}: ${problem.message}`,
            }
          : problem,
      );
    });
    return problems;
  });
}

/** One condition from all problems of a type: `TypedErrorCollector.GetError` then `Error2ConditionMsg`. */
function collectedCondition(
  problems: RouteProblem[],
  generation: number | undefined,
): Condition {
  const message =
    problems.length === 1
      ? problems[0].message
      : problems.map(p => errorToConditionMessage(p.message)).join('\n');
  const reason = [...new Set(problems.map(p => p.reason))].sort().join(',');
  return condition(
    problems[0].type,
    'False',
    reason,
    truncate(errorToConditionMessage(message)),
    generation,
  );
}

/** The conditions of each parent: Accepted, then ResolvedRefs, then BackendsAvailable when endpoints are missing. */
export function routeParentConditions(
  problems: RouteProblem[],
  generation: number | undefined,
): Condition[] {
  const ofType = (type: RouteProblem['type']) =>
    problems.filter(p => p.type === type);
  const unresolved = ofType('ResolvedRefs');
  const unavailable = ofType('BackendsAvailable');
  return [
    condition('Accepted', 'True', 'Accepted', 'Route is accepted', generation),
    unresolved.length > 0
      ? collectedCondition(unresolved, generation)
      : condition(
          'ResolvedRefs',
          'True',
          'ResolvedRefs',
          'Resolved all the Object references for the Route',
          generation,
        ),
    ...(unavailable.length > 0
      ? [collectedCondition(unavailable, generation)]
      : []),
  ];
}

/** The whole `status` of an HTTPRoute: one parent entry per parentRef. */
export function httpRouteStatus(
  client: ControllerClient,
  route: KubeObject,
): Json {
  const spec = isPlainObject(route.spec) ? route.spec : {};
  const generation = route.metadata.generation;
  const conditions = routeParentConditions(
    routeProblems(client, route),
    generation,
  );
  return {
    parents: listOf(spec.parentRefs).map(parentRef => ({
      parentRef,
      controllerName: ENVOY_GATEWAY_CONTROLLER,
      conditions,
    })),
  };
}
