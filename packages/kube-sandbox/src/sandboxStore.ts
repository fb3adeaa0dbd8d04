import { atVersion } from './api/admission';
import { ResourceRegistry } from './api/resourceRegistry';
import { ObjectStore } from './store/objectStore';
import { KubeObject } from './store/types';

/**
 * Direct read access to the sandbox's objects, for tests.
 *
 * @public
 */
export interface SandboxStore {
  /** Objects of a kind, in one namespace or all; served at `apiVersion`. */
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[];
  get(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined;
  /** The current (global) resourceVersion. */
  resourceVersion(): string;
}

export function createSandboxStore(
  store: ObjectStore,
  registry: ResourceRegistry,
): SandboxStore {
  const served = (apiVersion: string, kind: string) => {
    const found = registry.byKind(apiVersion, kind);
    if (!found) throw new Error(`kind ${kind} is not served at ${apiVersion}`);
    return found;
  };
  return {
    list(apiVersion, kind, namespace) {
      const s = served(apiVersion, kind);
      return store
        .list(ResourceRegistry.resourceKey(s.kind), namespace)
        .map(o => atVersion(s, o));
    },
    get(apiVersion, kind, namespace, name) {
      const s = served(apiVersion, kind);
      const found = store.get(
        ResourceRegistry.resourceKey(s.kind),
        namespace,
        name,
      );
      return found && atVersion(s, found);
    },
    resourceVersion: () => String(store.revision),
  };
}
