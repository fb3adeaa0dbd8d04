import { kubeTimestamp } from '../../apply/trackedFields';
import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject, StoreEvent } from '../../store/types';
import { updateStatusIfChanged } from '../conditions';
import { ControllerClient } from '../controllerClient';
import {
  Json,
  objectOf,
  reconcileLiveObject,
  specOf,
  statusOf,
} from '../controllerKit';
import { KNATIVE_SERVING_API_VERSION } from '../kserve/knativePredictor';
import {
  controllerOf,
  controllerReference,
  isControlledBy,
} from '../ownerReferences';
import {
  AT_ONCE,
  Enqueue,
  enqueueSpecChanges,
  queuedController,
  SimulatedController,
} from '../simulatedController';
import { ensureObject } from '../workloads/ensureObject';
import {
  conditionOf,
  happyCondition,
  KnativeCondition,
  knativeCondition,
  sortedByType,
} from './knativeConditions';
import { revisionPods, revisionStatus } from './revisionStatus';
import {
  buildTraffic,
  routeStatus,
  routeTrafficOf,
  TrafficConfig,
} from './routeTraffic';

/**
 * What Knative Serving makes of a Knative Service, in the sandbox, with net-istio in mesh-only mode
 * as the platform installs it (configs/kserve/knative-config.yaml: config-istio `external-gateways`
 * and `local-gateways` both `[]`). Re-expressed from knative/serving at knative-v1.23.0 (the tag
 * scripts/lib/versions.sh pins) and knative.dev/networking at the commit its go.mod requires
 * (v0.0.0-20260727162500-c7a7b772cac9):
 *
 * - the Configuration and Route of the same name, owned by the Service; one Revision
 *   `<name>-<configuration generation, 5 digits>` per template change, owned by the Configuration;
 * - the Route's Service `<name>` (pkg/reconciler/route/resources/service.go, `placeholderService`);
 * - the Revision's Services `<revision>` and `<revision>-private`
 *   (pkg/reconciler/serverlessservice/resources/services.go, `revisionServices`);
 * - the Revision's Deployment `<revision>-deployment` (pkg/reconciler/revision/resources/deploy.go
 *   `MakeDeployment`, meta.go: names, `makeLabels`, `deploymentAnnotations`, `podAnnotations`,
 *   selector `serving.knative.dev/revisionUID`, `progressDeadlineSeconds`), whose Pods then come
 *   from the Deployment controller, scaled to `max(min-scale, 1)` while the revision is routed
 *   (`routingState: active`) and to 0 once it is not (`reserve`);
 * - the statuses: each Revision's from its Deployment and Pods (revisionStatus.ts), the
 *   Configuration's latest created and latest ready revisions (`configurationStatus`), the Route's
 *   traffic (routeTraffic.ts), the revisions' routing state (`labelRevisions`), and the Service's,
 *   made of the Configuration's and the Route's (`serviceStatus`).
 *
 * Not simulated, because the sandbox does not serve their kinds or has no network: the Route's
 * KIngress (networking.internal.knative.dev; net-istio's mesh-only path marks it ready at once with
 * `status.publicLoadBalancer` and `status.privateLoadBalancer` both `{ingress: [{meshOnly: true}]}`,
 * knative-extensions/net-istio pkg/reconciler/ingress/ingress.go `reconcileMeshOnlyIngress`), its
 * mesh VirtualService `<name>-mesh` (networking.istio.io, gateways `[mesh]`, the route's
 * `*.svc.cluster.local` hosts routed to the Revision's Service `<revision>` port 80 (81 for h2c,
 * knative/serving pkg/reconciler/route/resources/ingress.go `makeBaseIngressPath`), same ingress.go
 * and resources/virtual_service.go `MakeMeshVirtualService`), the PodAutoscaler and
 * ServerlessService, the Endpoints the ServerlessService controller writes for `<revision>`, the
 * queue-proxy sidecar, the autoscaler (a routed revision runs `max(min-scale, 1)` pods, whatever
 * its traffic), gradual rollouts, and the routing labels of Configurations. net-istio's release
 * knative-v1.23.0 was not available; its mesh-only code is the same at knative-v1.22.0 (where the
 * mode first appears) and on its main branch of 2026-06-01 (bdbf4dac4).
 */

const KSVCS = 'services.serving.knative.dev';
const LABEL = {
  service: 'serving.knative.dev/service',
  serviceUid: 'serving.knative.dev/serviceUID',
  configuration: 'serving.knative.dev/configuration',
  configurationGeneration: 'serving.knative.dev/configurationGeneration',
  configurationUid: 'serving.knative.dev/configurationUID',
  revision: 'serving.knative.dev/revision',
  revisionUid: 'serving.knative.dev/revisionUID',
  route: 'serving.knative.dev/route',
  routingState: 'serving.knative.dev/routingState',
  visibility: 'networking.knative.dev/visibility',
  /** knative/serving pkg/networking/constants.go `SKSLabelKey`, `ServiceTypeKey`. */
  serverlessService: 'networking.internal.knative.dev/serverlessservice',
  serviceType: 'networking.internal.knative.dev/serviceType',
};
/**
 * Revision annotations Knative keeps off the objects it makes for the revision (knative/serving
 * pkg/reconciler/revision/resources/meta.go `excludeAnnotations`).
 */
const ROUTES_ANNOTATION = 'serving.knative.dev/routes';
const ROUTING_STATE_MODIFIED = 'serving.knative.dev/routingStateModified';
const EXCLUDED_ANNOTATIONS = [
  'serving.knative.dev/lastPinned',
  'serving.knative.dev/no-gc',
  ROUTING_STATE_MODIFIED,
  ROUTES_ANNOTATION,
];
/** Knative's default `progress-deadline` (config-deployment), which the platform keeps. */
const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

function child(
  owner: KubeObject,
  kind: string,
  name: string,
  labels: Record<string, string>,
  spec: Json,
): KubeObject {
  return {
    apiVersion: KNATIVE_SERVING_API_VERSION,
    kind,
    metadata: {
      name,
      namespace: owner.metadata.namespace,
      labels,
      ownerReferences: [controllerReference(owner)],
    },
    spec,
  };
}

/**
 * The Revision a Configuration stamps out of its template at one generation
 * (pkg/reconciler/configuration/resources/revision.go `MakeRevision`): the template's labels and
 * annotations plus the configuration's labels, and the routing state: `pending` for the labeler
 * to settle, or, when a Route already sends the configuration's latest revision traffic (upstream:
 * the Configuration carries the Route in its `serving.knative.dev/routes` annotation), `active`
 * with that annotation, both with `serving.knative.dev/routingStateModified`.
 */
function newRevision(
  ksvc: KubeObject,
  configuration: KubeObject,
  name: string,
  template: Json,
  routedBy: string | undefined,
): KubeObject {
  const templateMeta = objectOf(template.metadata);
  const revision = child(
    configuration,
    'Revision',
    name,
    {
      ...(templateMeta.labels as Record<string, string>),
      [LABEL.configuration]: configuration.metadata.name!,
      [LABEL.configurationGeneration]: String(
        configuration.metadata.generation ?? 1,
      ),
      [LABEL.configurationUid]: configuration.metadata.uid!,
      [LABEL.service]: ksvc.metadata.name!,
      [LABEL.serviceUid]: ksvc.metadata.uid!,
      [LABEL.routingState]: routedBy ? 'active' : 'pending',
    },
    objectOf(template.spec),
  );
  revision.metadata.annotations = {
    ...(isPlainObject(templateMeta.annotations)
      ? (templateMeta.annotations as Record<string, string>)
      : {}),
    ...(routedBy ? { [ROUTES_ANNOTATION]: routedBy } : {}),
    [ROUTING_STATE_MODIFIED]: kubeTimestamp(),
  };
  return revision;
}

/**
 * The labels of the objects Knative makes for a revision (pkg/reconciler/revision/resources/meta.go
 * `makeLabels`): the revision's, without `serving.knative.dev/route` and `routingState`, plus
 * `serving.knative.dev/revision`, `revisionUID`, and `app: <revision>` unless set.
 */
function revisionObjectLabels(revision: KubeObject): Record<string, string> {
  const { name, uid } = revision.metadata;
  const {
    [LABEL.route]: _route,
    [LABEL.routingState]: _routingState,
    ...kept
  } = revision.metadata.labels ?? {};
  const labels: Record<string, string> = {
    ...kept,
    [LABEL.revision]: name!,
    [LABEL.revisionUid]: uid!,
  };
  labels.app ??= name!;
  return labels;
}

/** A Go duration (`time.ParseDuration`: `600s`, `10m`, `1m30s`, `1.5h`) in whole seconds, if it is one. */
function durationSeconds(text: string | undefined): number | undefined {
  if (!text || !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text))
    return undefined;
  const unit: Record<string, number> = {
    ns: 1e-9,
    us: 1e-6,
    µs: 1e-6,
    ms: 1e-3,
    s: 1,
    m: 60,
    h: 3600,
  };
  let seconds = 0;
  for (const [, value, , u] of text.matchAll(
    /(\d+(\.\d+)?)(ns|us|µs|ms|s|m|h)/g,
  )) {
    seconds += Number(value) * unit[u];
  }
  return Math.trunc(seconds);
}

/** Revision annotations kept on its Deployment and pods: not the routing ones nor `autoscaling.knative.dev/*` (`filterExcludedAndAutoscalingAnnotations`). */
function deploymentAnnotations(revision: KubeObject): Record<string, string> {
  return Object.fromEntries(
    Object.entries(revision.metadata.annotations ?? {}).filter(
      ([key]) =>
        !EXCLUDED_ANNOTATIONS.includes(key) &&
        !key.startsWith('autoscaling.knative.dev/'),
    ),
  );
}

/** How many pods a revision runs: `max(min-scale, 1)` while routed, none in `reserve` (Unreachable). */
function revisionReplicas(revision: KubeObject): number {
  if (revision.metadata.labels?.[LABEL.routingState] === 'reserve') return 0;
  const minScale =
    Number(
      revision.metadata.annotations?.['autoscaling.knative.dev/min-scale'] ?? 1,
    ) || 0;
  return Math.max(minScale, 1);
}

function revisionDeployment(revision: KubeObject): KubeObject {
  const { name, uid } = revision.metadata;
  const labels = revisionObjectLabels(revision);
  const annotations = deploymentAnnotations(revision);
  const {
    containerConcurrency,
    timeoutSeconds,
    responseStartTimeoutSeconds,
    ...podSpec
  } = objectOf(revision.spec);
  const containers = Array.isArray(podSpec.containers)
    ? podSpec.containers.filter(isPlainObject)
    : [];
  const userContainer = containers[0]?.name;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: `${name}-deployment`,
      namespace: revision.metadata.namespace,
      labels,
      annotations,
      ownerReferences: [controllerReference(revision)],
    },
    spec: {
      replicas: revisionReplicas(revision),
      selector: { matchLabels: { [LABEL.revisionUid]: uid } },
      revisionHistoryLimit: 0,
      // "Slowly but steadily roll the deployment out": no pod may be unavailable.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } },
      progressDeadlineSeconds:
        durationSeconds(
          revision.metadata.annotations?.[
            'serving.knative.dev/progress-deadline'
          ],
        ) ?? DEFAULT_PROGRESS_DEADLINE_SECONDS,
      template: {
        metadata: {
          labels,
          annotations: {
            ...annotations,
            ...(typeof userContainer === 'string' && userContainer
              ? { 'kubectl.kubernetes.io/default-container': userContainer }
              : {}),
          },
        },
        spec: podSpec,
      },
    },
  };
}

/**
 * The ports of the revision's Services for its protocol (knative.dev/networking
 * pkg/apis/networking/ports.go: `ServicePortName`, `ServicePort`, `AppProtocol`; knative/serving
 * pkg/networking/constants.go: the queue-proxy's ports 8012 (HTTP/1), 8013 (h2c), 8112 (HTTPS)).
 * The protocol is h2c when the serving container's first port is named `h2c` (the sandbox looks at
 * the first container)
 * (pkg/apis/serving/v1/revision_helpers.go `GetProtocol`).
 */
function revisionProtocol(revision: KubeObject) {
  const spec = objectOf(revision.spec);
  const containers = Array.isArray(spec.containers) ? spec.containers : [];
  const first = objectOf(containers[0]);
  const ports = Array.isArray(first.ports) ? first.ports : [];
  const h2c = objectOf(ports[0]).name === 'h2c';
  return {
    portName: h2c ? 'http2' : 'http',
    appProtocol: h2c ? { appProtocol: 'kubernetes.io/h2c' } : {},
    publicPort: h2c ? 81 : 80,
    targetPort: h2c ? 8013 : 8012,
  };
}

/**
 * The revision's two Services, as the ServerlessService controller makes them
 * (pkg/reconciler/serverlessservice/resources/services.go `MakePublicService`,
 * `MakePrivateService`; the ServerlessService `<revision>` carries the PodAutoscaler's labels and
 * annotations without `autoscaling.knative.dev/metric`, pkg/reconciler/autoscaling/resources/sks.go
 * `MakeSKS`, and the PodAutoscaler the revision's labels of `makeLabels` and its annotations without
 * `excludeAnnotations`, pkg/reconciler/revision/resources/pa.go `MakePA`):
 *
 * - `<revision>`, the public one, without a selector: the Route's mesh VirtualService sends requests
 *   to it, and the ServerlessService controller writes its Endpoints: the activator's while the
 *   revision is in Proxy mode (no ready pod, or less spare capacity than target-burst-capacity, 211
 *   by default), the revision's pods in Serve mode (pkg/reconciler/serverlessservice/
 *   serverlessservice.go `reconcilePublicEndpoints`, pkg/reconciler/autoscaling/kpa/kpa.go);
 * - `<revision>-private`, selecting the revision's pods (the Deployment's selector): the activator's
 *   and the autoscaler's way to the queue-proxy, with its metrics ports 9090 and 9091.
 *
 * Upstream they are owned by the ServerlessService; the sandbox, which does not serve that kind,
 * makes the Revision their owner so that they go with it.
 */
function revisionServices(revision: KubeObject): KubeObject[] {
  const name = revision.metadata.name!;
  const labels = revisionObjectLabels(revision);
  const annotations = Object.fromEntries(
    Object.entries(revision.metadata.annotations ?? {}).filter(
      ([key]) =>
        !EXCLUDED_ANNOTATIONS.includes(key) &&
        key !== 'autoscaling.knative.dev/metric',
    ),
  );
  const protocol = revisionProtocol(revision);
  const https = {
    name: 'https',
    protocol: 'TCP',
    port: 443,
    targetPort: 8112,
  };
  const service = (
    serviceName: string,
    type: 'Public' | 'Private',
    spec: Json,
  ): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: serviceName,
      namespace: revision.metadata.namespace,
      labels: {
        ...labels,
        [LABEL.serverlessService]: name,
        [LABEL.serviceType]: type,
      },
      annotations,
      ownerReferences: [controllerReference(revision)],
    },
    spec,
  });
  return [
    service(name, 'Public', {
      ports: [
        {
          name: protocol.portName,
          protocol: 'TCP',
          ...protocol.appProtocol,
          port: protocol.publicPort,
          targetPort: protocol.targetPort,
        },
        https,
      ],
    }),
    service(`${name}-private`, 'Private', {
      ports: [
        {
          name: protocol.portName,
          protocol: 'TCP',
          ...protocol.appProtocol,
          port: 80,
          targetPort: protocol.targetPort,
        },
        https,
        {
          name: 'http-autometric',
          protocol: 'TCP',
          port: 9090,
          targetPort: 'http-autometric',
        },
        {
          name: 'http-usermetric',
          protocol: 'TCP',
          port: 9091,
          targetPort: 'http-usermetric',
        },
        {
          name: `${protocol.portName}-istio`,
          protocol: 'TCP',
          port: protocol.targetPort,
          targetPort: protocol.targetPort,
        },
      ],
      selector: { [LABEL.revisionUid]: revision.metadata.uid },
    }),
  ];
}

/**
 * The Route's Service `<name>`, the name callers use, as it stands once net-istio has reconciled the
 * Route's KIngress in mesh-only mode. Knative first creates it as an ExternalName Service to the
 * route's own domain name, port `http2` 80 (`MakeK8sPlaceholderService`), and rewrites it from the
 * KIngress's status (`MakeK8sService`, pkg/reconciler/route/reconcile_resources.go
 * `updatePlaceholderServices`, which replaces the whole spec). net-istio reports a mesh-only load
 * balancer when no gateway is configured (knative-extensions/net-istio pkg/reconciler/ingress/
 * ingress.go `reconcileMeshOnlyIngress`: `MarkLoadBalancerReady([{MeshOnly: true}],
 * [{MeshOnly: true}])`, without probing), and for that `MakeK8sService` makes a ClusterIP Service
 * with the one port `http` 80, no selector and no Endpoints: its name resolves to a cluster IP
 * that the caller's Istio sidecar routes by Host with the mesh VirtualService. (With a gateway
 * configured the status names the gateway's Service, `DomainInternal`, and the Service becomes an
 * ExternalName Service to it.) The sandbox writes the final shape at once. Labels: the Route's,
 * without `networking.knative.dev/visibility`, plus `serving.knative.dev/route`; annotations: the
 * Route's; owned by the Route (`makeServiceObjectMeta`).
 */
function placeholderService(route: KubeObject): KubeObject {
  const { [LABEL.visibility]: _visibility, ...labels } =
    route.metadata.labels ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: route.metadata.name,
      namespace: route.metadata.namespace,
      labels: { ...labels, [LABEL.route]: route.metadata.name! },
      ...(route.metadata.annotations
        ? { annotations: route.metadata.annotations }
        : {}),
      ownerReferences: [controllerReference(route)],
    },
    spec: {
      type: 'ClusterIP',
      ports: [{ name: 'http', port: 80 }],
    },
  };
}

/**
 * The Configuration's status (pkg/reconciler/configuration/configuration.go `ReconcileKind`,
 * `findAndSetLatestReadyRevision`; pkg/apis/serving/v1/configuration_lifecycle.go): the latest
 * created revision; the latest ready one, the newest Ready revision from the previous latest
 * ready one's generation on (so it never moves to a revision that is not Ready); `Ready` True once
 * the latest created revision is the latest ready one, Unknown while it is not Ready yet, False
 * `RevisionFailed` (`Revision "<name>" failed with message: <its Ready message>.`) when it failed.
 */
function configurationStatus(
  configuration: KubeObject,
  latestCreated: KubeObject,
  revisions: KubeObject[],
): Json {
  const stored = statusOf(configuration);
  const generationOf = (revision: KubeObject) =>
    Number(revision.metadata.labels?.[LABEL.configurationGeneration]) || 0;
  const storedReady =
    typeof stored.latestReadyRevisionName === 'string'
      ? stored.latestReadyRevisionName
      : '';
  const previous = revisions.find(r => r.metadata.name === storedReady);
  const from = previous ? generationOf(previous) : 0;
  const latestReady =
    revisions
      .filter(r => generationOf(r) >= from)
      .sort((a, b) => generationOf(b) - generationOf(a))
      .find(r => conditionOf(r.status, 'Ready')?.status === 'True')?.metadata
      .name ?? storedReady;
  const created = latestCreated.metadata.name!;
  const revisionReady = conditionOf(latestCreated.status, 'Ready');
  let ready: KnativeCondition;
  if (revisionReady?.status === 'False') {
    ready = knativeCondition(
      'Ready',
      'False',
      'RevisionFailed',
      `Revision "${created}" failed with message: ${
        revisionReady.message ?? ''
      }.`,
    );
  } else if (latestReady === created) {
    ready = knativeCondition('Ready', 'True');
  } else {
    ready = knativeCondition('Ready', 'Unknown');
  }
  return {
    observedGeneration: configuration.metadata.generation,
    conditions: [ready],
    latestCreatedRevisionName: created,
    ...(latestReady ? { latestReadyRevisionName: latestReady } : {}),
  };
}

/**
 * The labeler (pkg/reconciler/labeler/metasync.go `syncRoutingMeta`, accessors.go
 * `makeMetadataPatch`): the revisions the Route's status and spec traffic name, plus the
 * Configuration's latest created revision when a target follows the latest revision, are `active`
 * and carry the Route in `serving.knative.dev/routes`; once the Route is Ready or failed, the
 * other revisions it had made active go to `reserve` and lose the annotation;
 * `serving.knative.dev/routingStateModified` records each change of state.
 */
function labelRevisions(
  client: ControllerClient,
  route: KubeObject,
  configuration: KubeObject,
  revisions: KubeObject[],
): KubeObject[] {
  const routeName = route.metadata.name!;
  const listed = new Set<string>();
  const targets = [
    ...((statusOf(route).traffic as Json[] | undefined) ?? []),
    ...((specOf(route).traffic as Json[] | undefined) ?? []),
  ];
  for (const target of targets) {
    if (typeof target.revisionName === 'string' && target.revisionName) {
      listed.add(target.revisionName);
    }
    const latestCreated = statusOf(configuration).latestCreatedRevisionName;
    const followsLatest =
      target.latestRevision === true &&
      (target.configurationName === configuration.metadata.name ||
        revisions.some(r => r.metadata.name === target.revisionName));
    if (followsLatest && typeof latestCreated === 'string' && latestCreated) {
      listed.add(latestCreated);
    }
  }
  const resolved = ['True', 'False'].includes(
    conditionOf(route.status, 'Ready')?.status ?? '',
  );
  return revisions.map(revision => {
    const routes = (revision.metadata.annotations?.[ROUTES_ANNOTATION] ?? '')
      .split(',')
      .filter(Boolean);
    const state = revision.metadata.labels?.[LABEL.routingState];
    let nextRoutes: string[];
    if (listed.has(revision.metadata.name!)) {
      // setMetaForListed
      nextRoutes = routes.includes(routeName)
        ? routes
        : [...routes, routeName].sort();
    } else if (resolved && state === 'active' && routes.includes(routeName)) {
      // clearMetaForNotListed (only revisions active for this route)
      nextRoutes = routes.filter(r => r !== routeName);
    } else {
      return revision;
    }
    // markRoutingState: active while some route names it, else reserve.
    const wantState = nextRoutes.length > 0 ? 'active' : 'reserve';
    if (nextRoutes.join(',') === routes.join(',') && wantState === state) {
      return revision;
    }
    return client.mergePatch(revision, {
      metadata: {
        labels: { [LABEL.routingState]: wantState },
        annotations: {
          [ROUTES_ANNOTATION]:
            nextRoutes.length > 0 ? nextRoutes.join(',') : null,
          ...(wantState !== state
            ? { [ROUTING_STATE_MODIFIED]: kubeTimestamp() }
            : {}),
        },
      },
    });
  });
}

/**
 * The Service's status (pkg/reconciler/service/service.go `ReconcileKind`,
 * `checkRoutesNotReady`; pkg/apis/serving/v1/service_lifecycle.go): the Configuration's latest
 * created and ready revisions and `ConfigurationsReady`, the Route's `url`, `address`, `traffic`
 * and `RoutesReady`, which stays Unknown `TrafficNotMigrated` while the Route's traffic is not yet
 * what its spec asks for (a configuration target counting as its latest ready revision); `Ready`
 * from both.
 */
function serviceStatus(
  ksvc: KubeObject,
  configuration: KubeObject,
  route: KubeObject,
): Json {
  const config = statusOf(configuration);
  const routed = statusOf(route);
  const propagated = (type: string, from: KnativeCondition | undefined) =>
    from?.status === 'True'
      ? knativeCondition(type, 'True')
      : knativeCondition(
          type,
          from?.status ?? 'Unknown',
          from?.reason,
          from?.message,
        );
  const configurations = propagated(
    'ConfigurationsReady',
    conditionOf(config, 'Ready'),
  );
  let routes = propagated('RoutesReady', conditionOf(routed, 'Ready'));
  if (routes.status === 'True') {
    const want = ((specOf(route).traffic as Json[] | undefined) ?? []).map(t =>
      t.configurationName === configuration.metadata.name
        ? {
            ...t,
            revisionName: config.latestReadyRevisionName,
            configurationName: undefined,
          }
        : t,
    );
    const got = (routed.traffic as Json[] | undefined) ?? [];
    const key = (t: Json) =>
      JSON.stringify([
        t.tag ?? '',
        t.revisionName ?? '',
        t.configurationName ?? '',
        t.percent ?? null,
      ]);
    if (
      want.length !== got.length ||
      want.some((t, i) => key(t) !== key(got[i]))
    ) {
      routes = knativeCondition(
        'RoutesReady',
        'Unknown',
        'TrafficNotMigrated',
        'Traffic is not yet migrated to the latest revision.',
      );
    }
  }
  return {
    observedGeneration: ksvc.metadata.generation,
    conditions: sortedByType([
      configurations,
      happyCondition('Ready', [configurations, routes]),
      routes,
    ]),
    ...(typeof config.latestCreatedRevisionName === 'string'
      ? { latestCreatedRevisionName: config.latestCreatedRevisionName }
      : {}),
    ...(typeof config.latestReadyRevisionName === 'string'
      ? { latestReadyRevisionName: config.latestReadyRevisionName }
      : {}),
    ...(typeof routed.url === 'string' ? { url: routed.url } : {}),
    ...(isPlainObject(routed.address) ? { address: routed.address } : {}),
    ...(Array.isArray(routed.traffic) ? { traffic: routed.traffic } : {}),
  };
}

function reconcileService(client: ControllerClient, ksvc: KubeObject) {
  const { name, namespace, uid } = ksvc.metadata;
  const spec = objectOf(ksvc.spec);
  const template = objectOf(spec.template);
  const serviceLabels = {
    ...ksvc.metadata.labels,
    [LABEL.service]: name!,
    [LABEL.serviceUid]: uid!,
  };
  let configuration = ensureObject(
    client,
    child(ksvc, 'Configuration', name!, serviceLabels, { template }),
  );
  let route = ensureObject(
    client,
    child(ksvc, 'Route', name!, serviceLabels, {
      traffic: routeTrafficOf(spec.traffic, configuration.metadata.name!),
    }),
  );
  const generation = configuration.metadata.generation ?? 1;
  const revisionName = `${name}-${String(generation).padStart(5, '0')}`;
  const followsLatest = ((specOf(route).traffic as Json[]) ?? []).some(
    t => t.latestRevision === true,
  );
  const latestCreated =
    client.get(
      KNATIVE_SERVING_API_VERSION,
      'Revision',
      namespace,
      revisionName,
    ) ??
    client.create(
      newRevision(
        ksvc,
        configuration,
        revisionName,
        template,
        followsLatest ? route.metadata.name : undefined,
      ),
    );
  const ownRevisions = () =>
    client
      .list(KNATIVE_SERVING_API_VERSION, 'Revision', namespace)
      .filter(r => isControlledBy(r, configuration.metadata.uid!));
  const pods = client.list('v1', 'Pod', namespace);
  // The revision reconciler: each revision's Deployment and Services, then its status.
  for (const revision of ownRevisions()) {
    const deployment =
      client.get(
        'apps/v1',
        'Deployment',
        namespace,
        `${revision.metadata.name}-deployment`,
      ) ?? ensureObject(client, revisionDeployment(revision));
    revisionServices(revision).forEach(service =>
      ensureObject(client, service),
    );
    updateStatusIfChanged(
      client,
      revision,
      revisionStatus(revision, deployment, revisionPods(revision, pods)),
    );
  }
  const fresh = (object: KubeObject) =>
    client.get(
      object.apiVersion,
      object.kind,
      namespace,
      object.metadata.name!,
    ) ?? object;
  // The configuration reconciler.
  configuration = fresh(configuration);
  updateStatusIfChanged(
    client,
    configuration,
    configurationStatus(configuration, fresh(latestCreated), ownRevisions()),
  );
  configuration = fresh(configuration);
  // The route reconciler.
  const byName = (revision: string) =>
    client.get(KNATIVE_SERVING_API_VERSION, 'Revision', namespace, revision);
  const traffic: TrafficConfig = buildTraffic(route, configuration, byName);
  updateStatusIfChanged(client, route, routeStatus(route, traffic));
  route = fresh(route);
  ensureObject(client, placeholderService(route));
  // The labeler, then the revisions' scale (their PodAutoscalers follow the routing state).
  for (const revision of labelRevisions(
    client,
    route,
    configuration,
    ownRevisions(),
  )) {
    const desired = revisionDeployment(revision);
    const existing = client.get(
      'apps/v1',
      'Deployment',
      namespace,
      desired.metadata.name!,
    );
    if (
      existing &&
      objectOf(existing.spec).replicas !== objectOf(desired.spec).replicas
    ) {
      client.update({
        ...existing,
        spec: {
          ...objectOf(existing.spec),
          replicas: objectOf(desired.spec).replicas,
        },
      });
    }
  }
  // The service reconciler.
  updateStatusIfChanged(
    client,
    fresh(ksvc),
    serviceStatus(ksvc, configuration, route),
  );
}

const REVISIONS_DEPLOYMENTS = 'deployments.apps';

/**
 * Knative Serving's controllers for a Knative Service, all run in one pass per Service: on a
 * create or spec change of the Service, and on any change of a revision's Deployment (its status
 * included: the revision reconciler watches the Deployments it owns, and what follows from the
 * revision's readiness reaches the Configuration, the Route and the Service).
 */
export function startKnativeServing(
  client: ControllerClient,
  log: (line: string) => void,
): SimulatedController {
  return queuedController(
    'knative-serving',
    0,
    log,
    reconcileLiveObject(client, KNATIVE_SERVING_API_VERSION, 'Service', ksvc =>
      reconcileService(client, ksvc),
    ),
    (event: StoreEvent, enqueue: Enqueue) => {
      if (enqueueSpecChanges(KSVCS, event, enqueue)) return;
      if (event.resource !== REVISIONS_DEPLOYMENTS || event.type === 'DELETED')
        return;
      const owner = controllerOf(event.object);
      const service = event.object.metadata.labels?.[LABEL.service];
      if (owner?.kind === 'Revision' && service) {
        enqueue(
          {
            resource: KSVCS,
            namespace: event.object.metadata.namespace,
            name: service,
          },
          AT_ONCE,
        );
      }
    },
  );
}
