import { STORAGE_URI_ANNOTATION } from '../controllers/kserve/predictorComponent';
import { SandboxStore } from '../sandboxStore';

const SERVICE_HOST =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.svc(\.cluster\.local)?)?$/;

/**
 * The storage URI of the model whose pods stand behind an in-cluster Service, as the gateway
 * double names the destination it reached (`<service>.<namespace>.svc.cluster.local`): the
 * `internal.serving.kserve.io/storage-initializer-sourceuri` annotation of the pod template of the
 * Deployment behind that Service, which the simulated KServe controller writes
 * (controllers/kserve/predictorComponent.ts `componentMeta`):
 *
 * - a Knative revision `<revision>` runs in the Deployment `<revision>-deployment`
 *   (controllers/knative/knativeServing.ts, after knative/serving knative-v1.23.0
 *   pkg/reconciler/revision/resources/names/names.go `Deployment`), whose pod template carries the
 *   revision's annotations, so a canary's revisions each have their own URI;
 * - a Standard-mode predictor's Service and Deployment are both `<isvc>-predictor`
 *   (controllers/kserve/standardPredictor.ts).
 *
 * Undefined for any other name (no such Deployment, or no annotation).
 */
export function storageUriOfDestination(
  store: SandboxStore,
  destination: string,
): string | undefined {
  const parsed = SERVICE_HOST.exec(destination);
  if (!parsed) return undefined;
  const [, name, , namespace] = parsed;
  for (const deployment of [`${name}-deployment`, name]) {
    const found = store.get('apps/v1', 'Deployment', namespace, deployment);
    const uri = (found?.spec as any)?.template?.metadata?.annotations?.[
      STORAGE_URI_ANNOTATION
    ];
    if (typeof uri === 'string') return uri;
  }
  return undefined;
}
