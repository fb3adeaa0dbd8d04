import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject } from '../../store/types';
import { Json, specOf, statusOf } from '../controllerKit';
import type { TrafficTarget } from '../kserve/knativePredictor';
import {
  conditionOf,
  ConditionStatus,
  happyCondition,
  isReadyAtGeneration,
  knativeCondition,
  sortedByType,
} from './knativeConditions';

/**
 * How Knative routes a Route's traffic and what the Route's status says, re-expressed from
 * knative/serving knative-v1.23.0:
 *
 * - pkg/apis/serving/v1/route_defaults.go `TrafficTarget.SetDefaults` (`latestRevision` defaults to
 *   "no revisionName", `percent` to 0) and pkg/reconciler/service/resources/route.go `MakeRoute`
 *   (targets without a revision name get the Service's configuration);
 * - pkg/reconciler/route/traffic/traffic.go `BuildTrafficConfiguration`: a configuration target
 *   goes to the Configuration's `latestReadyRevisionName` (so a new revision takes traffic only
 *   once it is Ready), a revision target to that revision; a missing or not-Ready target is a
 *   target error (errors.go; the first one is kept, a later failure replaces it), and then the
 *   traffic is not changed at all; targets with the same tag, revision and `latestRevision` are
 *   merged (`mergeIfNecessary`); `GetRevisionTrafficTargets` gives the status entries, with the
 *   tag's URL (`computeURL`; config-domain `svc.cluster.local`, default tag template
 *   `{{.Name}}-{{.Tag}}`);
 * - pkg/reconciler/route/route.go `ReconcileKind`, `configureTraffic` and
 *   pkg/apis/serving/v1/route_lifecycle.go for the conditions: `AllTrafficAssigned` (True, or the
 *   target error's `RevisionMissing`/`ConfigurationMissing`/`RevisionNotOwned`), `IngressReady`
 *   (the KIngress, which net-istio's mesh-only mode reports ready at once), `CertificateProvisioned`
 *   (True `TLSNotEnabled`, "external-domain-tls is not enabled") and `Ready`; `url`, `address`
 *   (`http://<route>.<namespace>.svc.cluster.local`), `traffic` and `observedGeneration`.
 *   Gradual rollouts (`serving.knative.dev/rollout-duration`) are not simulated: traffic moves at
 *   once.
 */

const DOMAIN = 'svc.cluster.local';

/** Knative's defaults for a traffic target (`TrafficTarget.SetDefaults`). */
export function withTrafficDefaults(target: Json): TrafficTarget {
  const revisionName =
    typeof target.revisionName === 'string' ? target.revisionName : '';
  return {
    ...(typeof target.tag === 'string' && target.tag
      ? { tag: target.tag }
      : {}),
    ...(revisionName ? { revisionName } : {}),
    ...(typeof target.configurationName === 'string' && target.configurationName
      ? { configurationName: target.configurationName }
      : {}),
    latestRevision:
      typeof target.latestRevision === 'boolean'
        ? target.latestRevision
        : revisionName === '',
    percent: typeof target.percent === 'number' ? target.percent : 0,
  };
}

/** The Route's `spec.traffic` as `MakeRoute` derives it from the Service's (defaults applied). */
export function routeTrafficOf(
  ksvcTraffic: unknown,
  configurationName: string,
): TrafficTarget[] {
  const targets =
    Array.isArray(ksvcTraffic) && ksvcTraffic.length > 0
      ? ksvcTraffic.filter(isPlainObject)
      : // The Service's own default (RouteSpec.SetDefaults with a default configuration).
        [{ latestRevision: true, percent: 100 }];
  return targets.map(target => {
    const defaulted = withTrafficDefaults(target);
    return defaulted.revisionName
      ? defaulted
      : { ...defaulted, configurationName };
  });
}

/** A traffic target that cannot be routed (traffic/errors.go), as `AllTrafficAssigned` shows it. */
interface TargetError {
  status: ConditionStatus;
  reason: string;
  message: string;
}

export interface TrafficConfig {
  /** The status entries, when every target could be resolved. */
  traffic?: TrafficTarget[];
  error?: TargetError;
}

/** Looks the Route's targets up (`BuildTrafficConfiguration`) and flattens them to revisions. */
export function buildTraffic(
  route: KubeObject,
  configuration: KubeObject,
  revisionByName: (name: string) => KubeObject | undefined,
): TrafficConfig {
  const flattened: TrafficTarget[] = [];
  let error: TargetError | undefined;
  const defer = (e: TargetError) => {
    if (!error || e.status === 'False') error = e;
  };
  const unreadyRevision = (revision: KubeObject): TargetError =>
    conditionOf(revision.status, 'Ready')?.status === 'False'
      ? {
          status: 'False',
          reason: 'RevisionMissing',
          message: `Revision "${revision.metadata.name}" failed to become ready.`,
        }
      : {
          status: 'Unknown',
          reason: 'RevisionMissing',
          message: `Revision "${revision.metadata.name}" is not yet ready.`,
        };
  const add = (target: TrafficTarget) => {
    const same = flattened.find(
      t =>
        (t.tag ?? '') === (target.tag ?? '') &&
        t.revisionName === target.revisionName &&
        t.latestRevision === target.latestRevision,
    );
    if (same) same.percent = (same.percent ?? 0) + (target.percent ?? 0);
    else flattened.push({ ...target });
  };
  const routeService = route.metadata.labels?.['serving.knative.dev/service'];
  for (const raw of (specOf(route).traffic as Json[] | undefined) ?? []) {
    const target = withTrafficDefaults(raw);
    // TrafficTarget's field order: tag, revisionName, latestRevision, percent, url.
    const entry = (revisionName: string): TrafficTarget => ({
      ...(target.tag ? { tag: target.tag } : {}),
      revisionName,
      latestRevision: target.latestRevision,
      percent: target.percent,
    });
    if (target.revisionName) {
      const revision = revisionByName(target.revisionName);
      if (!revision) {
        defer({
          status: 'False',
          reason: 'RevisionMissing',
          message: `Revision "${target.revisionName}" referenced in traffic not found.`,
        });
        continue;
      }
      const revisionService =
        revision.metadata.labels?.['serving.knative.dev/service'] ?? '';
      if (routeService && routeService !== revisionService) {
        defer({
          status: 'False',
          reason: 'RevisionNotOwned',
          message: revisionService
            ? `Revision "${target.revisionName}" belongs to Service "${revisionService}", not Service "${routeService}".`
            : `Revision "${target.revisionName}" does not belong to Service "${routeService}".`,
        });
        continue;
      }
      if (!isReadyAtGeneration(revision)) {
        defer(unreadyRevision(revision));
        continue;
      }
      add(entry(target.revisionName));
    } else if (target.configurationName) {
      if (target.configurationName !== configuration.metadata.name) {
        defer({
          status: 'False',
          reason: 'ConfigurationMissing',
          message: `Configuration "${target.configurationName}" referenced in traffic not found.`,
        });
        continue;
      }
      const latestReady = statusOf(configuration).latestReadyRevisionName;
      if (typeof latestReady !== 'string' || !latestReady) {
        defer(
          conditionOf(configuration.status, 'Ready')?.status === 'False'
            ? {
                status: 'False',
                reason: 'RevisionMissing',
                message: `Configuration "${target.configurationName}" does not have any ready Revision.`,
              }
            : {
                status: 'Unknown',
                reason: 'RevisionMissing',
                message: `Configuration "${target.configurationName}" is waiting for a Revision to become ready.`,
              },
        );
        continue;
      }
      const revision = revisionByName(latestReady);
      if (!revision) {
        defer({
          status: 'False',
          reason: 'RevisionMissing',
          message: `Revision "${latestReady}" referenced in traffic not found.`,
        });
        continue;
      }
      if (!isReadyAtGeneration(revision)) {
        defer(unreadyRevision(revision));
        continue;
      }
      add(entry(latestReady));
    }
  }
  if (error) return { error };
  const { name, namespace } = route.metadata;
  return {
    traffic: flattened.map(t => ({
      ...t,
      ...(t.tag
        ? { url: `http://${name}-${t.tag}.${namespace}.${DOMAIN}` }
        : {}),
    })),
  };
}

/** The Route's status after a reconcile with this traffic configuration. */
export function routeStatus(route: KubeObject, config: TrafficConfig): Json {
  const stored = statusOf(route);
  const { name, namespace, generation } = route.metadata;
  const url = `http://${name}.${namespace}.${DOMAIN}`;
  const storedCondition = (type: string) =>
    conditionOf(stored, type) ?? knativeCondition(type, 'Unknown');
  if (config.error) {
    // The traffic and the ingress stay as they were; a new generation marks the ingress
    // not configured (ReconcileKind's first step).
    const ingress =
      stored.observedGeneration === generation
        ? storedCondition('IngressReady')
        : knativeCondition(
            'IngressReady',
            'Unknown',
            'IngressNotConfigured',
            'Ingress has not yet been reconciled.',
          );
    const assigned = knativeCondition(
      'AllTrafficAssigned',
      config.error.status,
      config.error.reason,
      config.error.message,
    );
    const certificate = storedCondition('CertificateProvisioned');
    return {
      ...stored,
      observedGeneration: generation,
      url,
      conditions: sortedByType([
        assigned,
        certificate,
        ingress,
        happyCondition('Ready', [assigned, ingress, certificate]),
      ]),
    };
  }
  const assigned = knativeCondition('AllTrafficAssigned', 'True');
  const ingress = knativeCondition('IngressReady', 'True');
  const certificate = knativeCondition(
    'CertificateProvisioned',
    'True',
    'TLSNotEnabled',
    'external-domain-tls is not enabled',
  );
  return {
    observedGeneration: generation,
    url,
    address: { url },
    traffic: config.traffic,
    conditions: sortedByType([
      assigned,
      certificate,
      ingress,
      happyCondition('Ready', [assigned, ingress, certificate]),
    ]),
  };
}
