import { GatewayObjectCache } from '../objects/objectCache';
import { MeshDestination } from './knativeRoutes';

/**
 * The workload whose pod answers a request the double sends to an in-cluster Service, as the
 * Istio sidecar of that pod names itself in its metrics (`destination_workload`,
 * `destination_workload_namespace` with `reporter="destination"`, metrics/istioStats.ts).
 *
 * The sidecar's workload name is its node metadata `WORKLOAD_NAME` (istio/proxy 1.30.3
 * istio_stats.cc), which Istio's injection webhook derives from the pod's controller and writes
 * as `ISTIO_META_WORKLOAD_NAME` (istio/istio 1.30.3 pkg/kube/inject/webhook.go calls
 * pkg/kube/util.go `GetDeployMetaFromPod`; manifests/charts/istio-control/istio-discovery/files/
 * injection-template.yaml): a pod of a ReplicaSet whose name ends in the pod's
 * `pod-template-hash` is named after the Deployment, the ReplicaSet's name without `-<hash>`.
 * The Deployments behind a model:
 *
 * - Knative mode: each revision's pods belong to the Deployment `<revision>-deployment`
 *   (knative/serving knative-v1.23.0 pkg/reconciler/revision/resources/names/names.go
 *   `Deployment`), also during a canary, where the mesh sends a share of the requests to each
 *   revision (knativeRoutes.ts);
 * - Standard (raw Deployment) mode: the predictor's Deployment and its Service carry the same name,
 *   `<isvc>-predictor` (kserve/kserve v0.20.0 pkg/constants/constants.go `PredictorServiceName`,
 *   the component's ObjectMeta of pkg/controller/v1beta1/inferenceservice/components/predictor.go
 *   `buildObjectMeta`, which reconcilers/deployment/deployment_reconciler.go and
 *   reconcilers/service/service_reconciler.go both use), so the Service the Backend names is the
 *   workload;
 *   a blue-green candidate, an InferenceService `<model>-canary` of its own, is
 *   `<model>-canary-predictor`.
 *
 * The double does not read Deployments: a Service name that is a revision of a Knative Route's
 * traffic is taken as a revision, any other cluster-local Service as a Standard-mode predictor
 * (the double does not check that the Deployment exists, as it does not check Services). Hosts
 * outside `*.svc.cluster.local` (an external FQDN or IP Backend) reach no pod of the mesh: none.
 */
export interface DestinationWorkload {
  workload: string;
  namespace: string;
}

const CLUSTER_LOCAL =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc\.cluster\.local$/;

/** Knative's Deployment of a revision (names.go `Deployment`: `kmeta.ChildName(rev, "-deployment")`). */
export const revisionDeployment = (revision: string) =>
  `${revision}-deployment`;

/**
 * The workload that answered a request sent to `hostname` after the mesh's routing (`mesh`, the
 * gateway sidecar's choice of a Knative revision, or `direct`).
 */
export function destinationWorkload(
  cache: GatewayObjectCache,
  hostname: string,
  mesh: MeshDestination,
): DestinationWorkload | undefined {
  const parsed = CLUSTER_LOCAL.exec(hostname);
  if (!parsed) return undefined;
  const name = parsed[1];
  const namespace = parsed[3];
  if (mesh.type === 'revision')
    return { workload: revisionDeployment(mesh.revision), namespace };
  const isRevision = cache
    .list('KnativeRoute', namespace)
    .some(
      route =>
        Array.isArray(route.status?.traffic) &&
        route.status.traffic.some((t: any) => t?.revisionName === name),
    );
  return {
    workload: isRevision ? revisionDeployment(name) : name,
    namespace,
  };
}
