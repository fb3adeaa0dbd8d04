import type { FieldError } from '@inference-in-a-box/backstage-plugin-inference-common';
import { RequestValidationError } from '../../errors';
import { ownershipLabels } from '@inference-in-a-box/backstage-plugin-inference-common';
import { KubeObject, KubeObjectMeta } from '../../models/types';
import { buildAccessObjects } from './buildAccessObjects';
import {
  buildOpenAiRouteObjects,
  buildPredictiveRouteObjects,
} from './buildRouteObjects';
import { openAiPathPrefix, servedModelName } from './detectModelType';
import { hostnameAllowed } from './hostnameAllowed';
import { publicationObjectNames } from './objectNames';
import { defaultPublicationHostname } from './publicationHostname';
import { PublicationInput } from './types';

/** A path segment that is safe in a Gateway API path match without escaping. */
const PATH_SEGMENT = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * Problems a publish request has for this model and platform that the request schema cannot see.
 * A field that cannot be enforced is refused, never accepted and ignored.
 */
function requestProblems(
  input: PublicationInput,
  hostname: string,
): FieldError[] {
  const { request, platform } = input;
  const problems: FieldError[] = [];
  if (
    request.limits.tokensPerHour !== undefined &&
    input.modelType !== 'openai'
  ) {
    problems.push({
      field: 'limits.tokensPerHour',
      message:
        'token limits can only be enforced for OpenAI-compatible models; predictive models report no token usage',
    });
  }
  if (request.auth.jwt && !platform.jwt) {
    problems.push({
      field: 'auth.jwt',
      message: 'this platform has no JWT issuer configured',
    });
  }
  if (
    hostname !== platform.defaultHostname &&
    !hostnameAllowed(hostname, platform.allowedHostnames ?? [])
  ) {
    // A derived OpenAI hostname outside the allowed list is a platform misconfiguration, and
    // reported the same way: the publication cannot be served as asked.
    problems.push({
      field: 'hostname',
      message: `${hostname} is not one of the allowed hostnames`,
    });
  }
  if (input.modelType === 'predictive') {
    // Predictive models are called by path; a different public name would be accepted and ignored.
    if (request.publicModelName !== input.model.name) {
      problems.push({
        field: 'publicModelName',
        message: `a predictive model is served under its own name (${input.model.name}) at its path`,
      });
    }
    for (const [field, value] of [
      ['tenant', input.tenant],
      ['model', input.model.name],
    ]) {
      if (!PATH_SEGMENT.test(value)) {
        problems.push({
          field,
          message: `"${value}" cannot be used in the public path`,
        });
      }
    }
  }
  return problems;
}

/** Programming errors: the caller passed a model that is not the one being published. */
function checkModel(input: PublicationInput): void {
  const { metadata } = input.model.isvc;
  if (metadata.name !== input.model.name) {
    throw new Error(
      `InferenceService ${metadata.name} is not model ${input.model.name}`,
    );
  }
  if (
    metadata.namespace !== undefined &&
    metadata.namespace !== input.namespace
  ) {
    throw new Error(
      `InferenceService ${metadata.name} is in ${metadata.namespace}, not in the tenant namespace ${input.namespace}`,
    );
  }
}

/**
 * The desired objects of a publication, in apply order: everything that guards the route
 * (API keys Secret, SecurityPolicy, BackendTrafficPolicy, AuthorizationPolicy) first, then the
 * objects that make it reachable, the route last. Applying in this order never exposes a route
 * without its checks; deleting goes in reverse. Every object is in the tenant namespace and
 * carries the ownership labels, and records nothing the objects do not enforce: the request is
 * read back from them (`readPublishRequest`). Pure: no I/O, same input -> same output.
 *
 * Throws an `InputError` (HTTP 400) listing every request field that cannot be enforced for this
 * model or platform.
 */
export function buildPublicationObjects(input: PublicationInput): KubeObject[] {
  checkModel(input);
  const { request, platform } = input;
  const hostname =
    request.hostname ??
    defaultPublicationHostname(
      platform,
      input.modelType,
      input.tenant,
      input.model.name,
    );
  const problems = requestProblems(input, hostname);
  if (problems.length > 0) {
    throw new RequestValidationError(problems);
  }

  const names = publicationObjectNames(input.tenant, input.model.name);
  const labels = ownershipLabels({
    tenant: input.tenant,
    model: input.model.name,
  });
  const meta = (
    name: string,
    annotations?: Record<string, string>,
  ): KubeObjectMeta => ({
    name,
    namespace: input.namespace,
    labels: { ...labels },
    ...(annotations ? { annotations } : {}),
  });

  const isvc = input.model.isvc;
  // A candidate's objects are named as its own publication's would be (their names fit as the
  // model's do) and carry this publication's labels, so they are listed, diffed and pruned with it.
  const candidate = input.candidate && {
    isvcName: input.candidate.isvc.metadata.name,
    names: publicationObjectNames(
      input.tenant,
      input.candidate.isvc.metadata.name,
    ),
    percent: input.candidate.percent,
  };
  const access = buildAccessObjects({
    names,
    meta,
    tenant: input.tenant,
    isvcName: isvc.metadata.name,
    limits: request.limits,
    apiKeys: input.apiKeys,
    jwt: request.auth.jwt ? platform.jwt : undefined,
    gatewayPrincipals: platform.gatewayPrincipals,
    candidate: candidate && {
      isvcName: candidate.isvcName,
      authorizationPolicy: candidate.names.authorizationPolicy,
    },
  });

  const routeInput = {
    names,
    meta,
    namespace: input.namespace,
    tenant: input.tenant,
    isvcName: isvc.metadata.name,
    hostname,
    candidate,
    gateway: {
      name: platform.gatewayName,
      namespace: platform.gatewayNamespace,
      sectionName: platform.gatewaySectionName,
    },
  };
  const routes =
    input.modelType === 'openai'
      ? buildOpenAiRouteObjects({
          ...routeInput,
          publicModelName: request.publicModelName,
          pathPrefix: openAiPathPrefix(isvc),
          servedModelName: servedModelName(isvc),
        })
      : buildPredictiveRouteObjects(routeInput);

  return [...access, ...routes];
}
