import { kubeTimestamp } from '../../apply/trackedFields';
import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject } from '../../store/types';
import { ControllerClient } from '../controllerClient';
import { Json, objectOf, reconcileLiveObject } from '../controllerKit';
import { KNATIVE_SERVING_API_VERSION } from '../kserve/knativePredictor';
import { controllerReference, isControlledBy } from '../ownerReferences';
import {
  queuedController,
  SimulatedController,
  watchSpecChanges,
} from '../simulatedController';
import { ensureObject } from '../workloads/ensureObject';

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
 *   `MakeDeployment`: names, `makeLabels`, selector `serving.knative.dev/revisionUID`), whose Pods
 *   then come from the Deployment controller;
 * - the Service's status: the latest revision ready at `http://<name>.<namespace>.svc.cluster.local`
 *   (config-domain `svc.cluster.local`, configs/kserve/knative-config.yaml).
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
 * Route's status, the queue-proxy sidecar, the autoscaler and scale to zero: a revision runs
 * `max(min-scale, 1)` pods. net-istio's release knative-v1.23.0 was not available; its mesh-only
 * code is the same at knative-v1.22.0 (where the mode first appears) and on its main branch of
 * 2026-06-01 (bdbf4dac4).
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
const EXCLUDED_ANNOTATIONS = [
  'serving.knative.dev/lastPinned',
  'serving.knative.dev/no-gc',
  'serving.knative.dev/routingStateModified',
  'serving.knative.dev/routes',
];

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

/** The Revision a Configuration stamps out of its template at one generation. */
function newRevision(
  ksvc: KubeObject,
  configuration: KubeObject,
  name: string,
  template: Json,
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
      [LABEL.routingState]: 'active',
    },
    objectOf(template.spec),
  );
  if (isPlainObject(templateMeta.annotations)) {
    revision.metadata.annotations = templateMeta.annotations as Record<
      string,
      string
    >;
  }
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

function revisionDeployment(revision: KubeObject): KubeObject {
  const { name, uid } = revision.metadata;
  const labels = revisionObjectLabels(revision);
  const annotations = revision.metadata.annotations ?? {};
  const minScale =
    Number(annotations['autoscaling.knative.dev/min-scale'] ?? 1) || 0;
  const {
    containerConcurrency,
    timeoutSeconds,
    responseStartTimeoutSeconds,
    ...podSpec
  } = objectOf(revision.spec);
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
      replicas: Math.max(minScale, 1),
      selector: { matchLabels: { [LABEL.revisionUid]: uid } },
      template: { metadata: { labels, annotations }, spec: podSpec },
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

function reconcileService(client: ControllerClient, ksvc: KubeObject) {
  const { name, namespace, uid } = ksvc.metadata;
  const spec = objectOf(ksvc.spec);
  const template = objectOf(spec.template);
  const serviceLabels = {
    ...ksvc.metadata.labels,
    [LABEL.service]: name!,
    [LABEL.serviceUid]: uid!,
  };
  const configuration = ensureObject(
    client,
    child(ksvc, 'Configuration', name!, serviceLabels, { template }),
  );
  const generation = configuration.metadata.generation ?? 1;
  const revisionName = `${name}-${String(generation).padStart(5, '0')}`;
  const revision =
    client.get(
      KNATIVE_SERVING_API_VERSION,
      'Revision',
      namespace,
      revisionName,
    ) ??
    client.create(newRevision(ksvc, configuration, revisionName, template));
  ensureObject(client, revisionDeployment(revision));
  revisionServices(revision).forEach(service => ensureObject(client, service));
  // Older revisions stop receiving traffic; their pods go (scale to zero).
  for (const old of client.list(
    KNATIVE_SERVING_API_VERSION,
    'Revision',
    namespace,
  )) {
    if (
      old.metadata.name === revisionName ||
      !isControlledBy(old, configuration.metadata.uid!)
    )
      continue;
    const deployment = client.get(
      'apps/v1',
      'Deployment',
      namespace,
      `${old.metadata.name}-deployment`,
    );
    if (deployment && objectOf(deployment.spec).replicas !== 0) {
      client.update({
        ...deployment,
        spec: { ...objectOf(deployment.spec), replicas: 0 },
      });
    }
  }
  const route = ensureObject(
    client,
    child(
      ksvc,
      'Route',
      name!,
      {
        ...ksvc.metadata.labels,
        [LABEL.service]: name!,
        [LABEL.serviceUid]: uid!,
      },
      {
        traffic: spec.traffic ?? [{ latestRevision: true, percent: 100 }],
      },
    ),
  );
  ensureObject(client, placeholderService(route));
  const url = `http://${name}.${namespace}.svc.cluster.local`;
  const now = kubeTimestamp();
  const ready = (type: string) => ({
    type,
    status: 'True',
    lastTransitionTime: now,
  });
  client.updateStatus({
    ...ksvc,
    status: {
      observedGeneration: ksvc.metadata.generation,
      conditions: ['ConfigurationsReady', 'Ready', 'RoutesReady'].map(ready),
      latestCreatedRevisionName: revisionName,
      latestReadyRevisionName: revisionName,
      url,
      address: { url },
      traffic: [{ revisionName, latestRevision: true, percent: 100 }],
    },
  });
}

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
    watchSpecChanges(KSVCS),
  );
}
