import { kubeTimestamp } from '../../apply/trackedFields';
import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject } from '../../store/types';
import { ControllerClient } from '../controllerClient';
import { Json, objectOf, reconcileLiveObject } from '../controllerKit';
import {
  KNATIVE_SERVING_API_VERSION,
  LOCAL_GATEWAY_HOST,
} from '../kserve/knativePredictor';
import { controllerReference, isControlledBy } from '../ownerReferences';
import {
  queuedController,
  SimulatedController,
  watchSpecChanges,
} from '../simulatedController';
import { ensureObject } from '../workloads/ensureObject';

/**
 * What Knative Serving makes of a Knative Service, in the sandbox: the Configuration and Route of
 * the same name (owned by the Service), one Revision `<name>-<configuration generation, 5 digits>`
 * per template change (owned by the Configuration), the Route's placeholder Service `<name>`, and
 * the Revision's Deployment `<revision>-deployment`, whose Pods then come from the Deployment
 * controller. The Service's status reports the latest revision ready at
 * `http://<name>.<namespace>.svc.cluster.local` (config-domain `svc.cluster.local`,
 * configs/kserve/knative-config.yaml).
 *
 * Knative Serving 1.23's source was not available to check against. Names and labels follow
 * knative/serving's pkg/reconciler/route/resources/service.go (`MakeK8sService`: ExternalName to
 * the ingress's internal domain, port `http2` 80, labels of the Route plus
 * `serving.knative.dev/route`, owned by the Route) and pkg/reconciler/revision/resources
 * (`names.Deployment`, `makeLabels`: `serving.knative.dev/revision`, `revisionUID`, `app`), read
 * from a stored copy of the repository, not at the knative-v1.23.0 tag. The revision's ClusterIP
 * Services (`<revision>`, `<revision>-private`), the queue-proxy sidecar and scale to zero are not
 * simulated: a revision runs `max(min-scale, 1)` pods.
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
};

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

function revisionDeployment(revision: KubeObject): KubeObject {
  const { name, uid } = revision.metadata;
  const labels: Record<string, string> = {
    ...revision.metadata.labels,
    [LABEL.revision]: name!,
    [LABEL.revisionUid]: uid!,
  };
  labels.app ??= name!;
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
      type: 'ExternalName',
      externalName: LOCAL_GATEWAY_HOST,
      sessionAffinity: 'None',
      ports: [{ name: 'http2', port: 80, targetPort: 80 }],
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
