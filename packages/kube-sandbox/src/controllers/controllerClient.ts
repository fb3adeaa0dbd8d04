import { atVersion } from '../api/admission';
import { ResourceRegistry, ServedResource } from '../api/resourceRegistry';
import { ResourceService, WriteOptions } from '../api/resourceService';
import { KubeError } from '../api/statusErrors';
import { resourceVerb } from '../audit/describeRequest';
import { RequestAuditLog } from '../audit/requestAudit';
import { splitApiVersion } from '../schema/kubeVersions';
import { KubeObject } from '../store/types';

/**
 * What a simulated controller uses to read and write objects: the resource operations of the
 * API server (so writes are validated, versioned and seen by watches like any client's), under
 * the controller's own field manager, with every write recorded in the audit log as the
 * controller's request.
 */
export class ControllerClient {
  constructor(
    readonly service: ResourceService,
    /** Field manager and audit actor, e.g. `envoy-ai-gateway-controller`. */
    readonly manager: string,
    readonly audit?: RequestAuditLog,
  ) {}

  served(apiVersion: string, kind: string): ServedResource {
    const served = this.service.registry.byKind(apiVersion, kind);
    if (!served) throw new Error(`${kind} is not served at ${apiVersion}`);
    return served;
  }

  /** Whether the sandbox serves a kind (custom kinds depend on the CRD folder). */
  serves(apiVersion: string, kind: string): boolean {
    return this.service.registry.byKind(apiVersion, kind) !== undefined;
  }

  get(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const served = this.service.registry.byKind(apiVersion, kind);
    if (!served) return undefined;
    const key = ResourceRegistry.resourceKey(served.kind);
    const found = this.service.store.get(key, namespace, name);
    return found && atVersion(served, found);
  }

  list(apiVersion: string, kind: string, namespace?: string): KubeObject[] {
    const served = this.service.registry.byKind(apiVersion, kind);
    if (!served) return [];
    const key = ResourceRegistry.resourceKey(served.kind);
    return this.service.store
      .list(key, namespace)
      .map(o => atVersion(served, o));
  }

  create(object: KubeObject): KubeObject {
    return this.#write('POST', object, (served, options) =>
      this.service.create(served, object, options),
    );
  }

  /** PUT of the main resource; `object` carries the resourceVersion it was read at. */
  update(object: KubeObject): KubeObject {
    return this.#write('PUT', object, (served, options) =>
      this.service.update(served, object.metadata.name!, object, options),
    );
  }

  /** PUT of the status subresource. */
  updateStatus(object: KubeObject): KubeObject {
    return this.#write(
      'PUT',
      object,
      (served, options) =>
        this.service.update(served, object.metadata.name!, object, {
          ...options,
          subresource: 'status',
        }),
      'status',
    );
  }

  /** JSON merge patch of the main resource. */
  mergePatch(object: KubeObject, patch: Record<string, unknown>): KubeObject {
    return this.#write(
      'PATCH',
      object,
      (served, options) =>
        this.service.patch(
          served,
          object.metadata.name!,
          'merge',
          patch,
          options,
        ).object,
    );
  }

  /** DELETE with background propagation (the default of the API server). */
  delete(object: KubeObject, preconditions?: { uid?: string }) {
    this.#write('DELETE', object, served => {
      this.service.delete(
        served,
        object.metadata.namespace,
        object.metadata.name!,
        { preconditions },
      );
      return object;
    });
  }

  #options(object: KubeObject): WriteOptions {
    return {
      namespace: object.metadata.namespace,
      fieldManager: this.manager,
      fieldValidation: 'Ignore',
    };
  }

  /**
   * Runs one write of `object` against the resource that serves its kind, under the
   * controller's write options, and records it in the audit log whether it succeeded or not.
   */
  #write(
    method: string,
    object: KubeObject,
    write: (served: ServedResource, options: WriteOptions) => KubeObject,
    subresource?: string,
  ): KubeObject {
    const served = this.served(object.apiVersion, object.kind);
    let statusCode = method === 'POST' ? 201 : 200;
    let written = object;
    try {
      written = write(served, this.#options(object));
      return written;
    } catch (error) {
      statusCode = error instanceof KubeError ? error.status.code : 500;
      throw error;
    } finally {
      // A create with generateName learns its name from the answer.
      this.#record(method, served, written, subresource, statusCode);
    }
  }

  #record(
    method: string,
    served: ServedResource,
    object: KubeObject,
    subresource: string | undefined,
    statusCode: number,
  ) {
    if (!this.audit) return;
    const { group, version } = splitApiVersion(object.apiVersion);
    const { namespace, name } = object.metadata;
    const named = method !== 'POST';
    const collection = `${group ? `/apis/${group}` : '/api'}/${version}${
      namespace ? `/namespaces/${namespace}` : ''
    }/${served.kind.plural}`;
    this.audit.record({
      time: new Date().toISOString(),
      source: 'controller',
      actor: this.manager,
      method,
      verb: resourceVerb(method, named, new URLSearchParams()),
      path: `${collection}${named ? `/${name}` : ''}${
        subresource ? `/${subresource}` : ''
      }`,
      apiGroup: group,
      apiVersion: version,
      resource: served.kind.plural,
      subresource,
      namespace,
      name,
      query: method === 'DELETE' ? {} : { fieldManager: this.manager },
      dryRun: false,
      fieldManager: method === 'DELETE' ? undefined : this.manager,
      statusCode,
    });
  }
}

/** Whether an error is the API server's 409 Conflict (a stale resourceVersion). */
export function isConflict(error: unknown): boolean {
  return error instanceof KubeError && error.status.code === 409;
}

/** Whether an error is the API server's 404 NotFound. */
export function isNotFound(error: unknown): boolean {
  return error instanceof KubeError && error.status.code === 404;
}

/** The message of an error, as a controller would log it. */
export function errorMessage(error: unknown): string {
  if (error instanceof KubeError) return error.status.message ?? 'error';
  return error instanceof Error ? error.message : String(error);
}
