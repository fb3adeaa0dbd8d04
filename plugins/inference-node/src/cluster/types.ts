/**
 * The fields of a Kubernetes object the portal reads and writes.
 * @public
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * Identifies one object.
 * @public
 */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * Which objects a list call returns: one namespace (all when absent) and a label selector.
 * @public
 */
export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
}

/**
 * Options of a call that changes the cluster.
 * @public
 */
export interface WriteOptions {
  /** Validate and compute the result without persisting it (`dryRun=All`). */
  dryRun?: boolean;
}

/**
 * Options of a server-side apply.
 * @public
 */
export interface ApplyOptions extends WriteOptions {
  /** Take ownership of fields another field manager owns. */
  force?: boolean;
}

/**
 * An API group the cluster serves, from discovery.
 * @public
 */
export interface ApiGroupInfo {
  group: string;
  versions: string[];
  preferredVersion: string;
}

/**
 * One kind's objects in one namespace, kept current by a list and then a watch (client-node's
 * `ListWatch`, as client-go's reflector does). Events arrive in the order the API server sent
 * them; `add`/`update` carry the object as stored, `delete` the last state with the deletion's
 * resourceVersion. `error` is the end of the watch (the caller decides whether to start again).
 * @public
 */
export interface ClusterInformer {
  /** An object was added, changed or deleted. */
  on(
    event: 'add' | 'update' | 'delete',
    handler: (object: KubeObject) => void,
  ): void;
  /** The watch (or the list before it) ended with this error. */
  on(event: 'error', handler: (error: unknown) => void): void;
  /** Lists, then watches from the list's resourceVersion; resolves once the list is in. */
  start(): Promise<void>;
  /** Ends the watch; no events after it resolves. */
  stop(): Promise<void>;
  /** The objects as last seen. */
  list(): KubeObject[];
}

/**
 * Everything the inference backend does to a cluster goes through this interface: one real
 * implementation on `@kubernetes/client-node`, exercised in tests against the sandbox.
 * Errors are `@backstage/errors` types (see errors.ts), never raw client exceptions.
 * @public
 */
export interface ClusterClient {
  readonly name: string;
  /** The field manager of the portal's applies: who "the portal" is in `managedFields`. */
  readonly fieldManager: string;
  /** The object, or undefined when it does not exist. */
  get<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
  ): Promise<T | undefined>;
  /** All matching objects, following pagination. */
  list<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    options?: ListOptions,
  ): Promise<T[]>;
  /** Server-side apply with the portal's field manager; returns the object as stored (or as it would be). */
  apply<T extends KubeObject = KubeObject>(
    object: T,
    options?: ApplyOptions,
  ): Promise<T>;
  /** Deletes the object; false when it was already gone. */
  delete(ref: ObjectRef, options?: WriteOptions): Promise<boolean>;
  /** Installed API groups and versions. */
  apiGroups(): Promise<ApiGroupInfo[]>;
  /**
   * A list-then-watch of one kind in one namespace (the portal's publication cache). Optional: a
   * client without it makes every read afresh.
   */
  informer?(
    apiVersion: string,
    kind: string,
    options: { namespace: string; labelSelector: string },
  ): ClusterInformer;
}

/**
 * The reference of an object: its apiVersion, kind, namespace and name.
 * @public
 */
export function refOf(object: KubeObject): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
  };
}

/**
 * An object reference as text for messages: `Kind namespace/name`.
 * @public
 */
export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}
