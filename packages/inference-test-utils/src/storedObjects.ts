import type { KubeObject, KubeSandbox } from '@internal/kube-sandbox';
import {
  KINDS,
  KindName,
} from '@inference-in-a-box/backstage-plugin-inference-node';

/** What holds a sandbox: a test backend, or a sandbox shared by several backend processes. */
type WithSandbox = { sandbox: KubeSandbox };

/**
 * The objects of one kind in a namespace, read straight from the test backend's sandbox store (not
 * through the API), so that a test sees what the cluster really holds.
 */
export function storedObjects<T = KubeObject>(
  backend: WithSandbox,
  kind: KindName,
  namespace: string,
): T[] {
  const { apiVersion, kind: kindName } = KINDS[kind];
  return backend.sandbox.store.list(
    apiVersion,
    kindName,
    namespace,
  ) as unknown as T[];
}

/** One object from the test backend's sandbox store, or undefined when the cluster has none. */
export function storedObject<T = KubeObject>(
  backend: WithSandbox,
  kind: KindName,
  namespace: string,
  name: string,
): T | undefined {
  const { apiVersion, kind: kindName } = KINDS[kind];
  return backend.sandbox.store.get(apiVersion, kindName, namespace, name) as
    | T
    | undefined;
}
