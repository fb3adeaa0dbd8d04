import {
  ApplyConflictError,
  applyConfiguration,
  describeManager,
  recordUpdate,
} from '../apply/fieldOwnership';
import { renderPath } from '../apply/fieldSet';
import { applyJsonPatch, applyMergePatch, PatchError } from '../apply/patches';
import { mergeSchemaFor } from '../apply/schemaNavigation';
import { FieldScope, kubeTimestamp } from '../apply/trackedFields';
import { isBuiltinKind } from '../schema/builtinKinds';
import { joinApiVersion } from '../schema/kubeVersions';
import { isPlainObject } from '../schema/structuralValidator';
import { ObjectStore } from '../store/objectStore';
import { KubeObject, ManagedFieldsEntry } from '../store/types';
import {
  admit,
  atVersion,
  FieldValidation,
  pruneApplyConfiguration,
} from './admission';
import {
  generateName,
  isNoOpWrite,
  normalizeBuiltin,
  setSystemMetadata,
  updateGeneration,
} from './objectLifecycle';
import { ResourceRegistry, ServedResource } from './resourceRegistry';
import {
  alreadyExists,
  badRequest,
  conflict,
  invalid,
  KubeError,
  KubeStatus,
  notFound,
} from './statusErrors';

/** What a write request carries besides its body. */
export interface WriteOptions {
  namespace?: string;
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: FieldValidation;
  /** `status` for writes to the status subresource. */
  subresource?: 'status';
  /** Warnings to send back (filled in by the operation). */
  warnings?: string[];
}

export type PatchType = 'apply' | 'merge' | 'json' | 'strategic';

export interface DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

const NAMESPACE_RESOURCE = 'namespaces';

/**
 * The Kubernetes resource operations (create, read, update, patch, apply,
 * delete) on top of the object store, independent of HTTP. Errors are
 * thrown as {@link KubeError}s carrying the Status the API server would
 * answer. The HTTP layer, the controllers and seeding all write through
 * here, so watches see every change the same way.
 */
export class ResourceService {
  constructor(
    readonly store: ObjectStore,
    readonly registry: ResourceRegistry,
  ) {}

  get(
    served: ServedResource,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    return atVersion(served, this.#stored(served, namespace, name));
  }

  /** Throws the API server's NotFound for a missing namespace. */
  requireNamespace(namespace: string) {
    if (!this.store.get(NAMESPACE_RESOURCE, undefined, namespace)) {
      throw KubeError.of(
        404,
        `namespaces "${namespace}" not found`,
        'NotFound',
        {
          name: namespace,
          kind: 'namespaces',
        },
      );
    }
  }

  create(
    served: ServedResource,
    body: unknown,
    options: WriteOptions,
  ): KubeObject {
    const object = this.#checkBody(served, body, options.namespace);
    const meta = object.metadata;
    if (served.kind.scope === 'Namespaced')
      this.requireNamespace(options.namespace!);
    const key = ResourceRegistry.resourceKey(served.kind);
    if (
      !meta.name &&
      typeof meta.generateName === 'string' &&
      meta.generateName
    ) {
      // Retry a few times on the unlikely collision, as the API server does.
      for (let attempt = 0; attempt < 8; attempt++) {
        meta.name = generateName(meta.generateName);
        if (!this.store.get(key, meta.namespace, meta.name)) break;
      }
    }
    if (this.#hasStatusSubresource(served)) delete object.status;
    setSystemMetadata(object, undefined);
    normalizeBuiltin(served.kind, object, true);
    const admitted = this.#admit(served, object, options);
    if (this.store.get(key, meta.namespace, meta.name!)) {
      throw alreadyExists(served.kind, meta.name!);
    }
    admitted.metadata.managedFields = recordUpdate(undefined, admitted, [], {
      ...this.#ownership(served, options),
    });
    return this.#commit(served, admitted, undefined, options);
  }

  /** PUT of the main resource or the status subresource. */
  update(
    served: ServedResource,
    name: string,
    body: unknown,
    options: WriteOptions,
  ): KubeObject {
    const incoming = this.#checkBody(served, body, options.namespace);
    checkNameMatchesUrl(incoming, name);
    const previous = this.#stored(served, options.namespace, name);
    const requestedVersion = incoming.metadata.resourceVersion;
    if (!isBuiltinKind(served.kind) && !requestedVersion) {
      throw invalid(served.kind.kind, served.kind.group, name, [
        {
          reason: 'FieldValueInvalid',
          field: 'metadata.resourceVersion',
          message: 'Invalid value: 0x0: must be specified for an update',
        },
      ]);
    }
    checkResourceVersion(served, name, requestedVersion, previous);
    return this.#writeUpdate(served, previous, incoming, options);
  }

  patch(
    served: ServedResource,
    name: string,
    patchType: PatchType,
    patch: unknown,
    options: WriteOptions & { force?: boolean },
  ): { object: KubeObject; created: boolean } {
    if (patchType === 'strategic' && !isBuiltinKind(served.kind)) {
      throw KubeError.of(
        415,
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
        'UnsupportedMediaType',
      );
    }
    if (patchType === 'apply') return this.#apply(served, name, patch, options);

    const previous = this.#stored(served, options.namespace, name);
    const current = atVersion(served, previous);
    let patched: unknown;
    try {
      patched =
        patchType === 'json'
          ? applyJsonPatch(current, patch)
          : applyMergePatch(current, patch);
    } catch (error) {
      if (error instanceof PatchError) {
        throw KubeError.of(422, error.message, 'Invalid');
      }
      throw error;
    }
    const object = this.#checkBody(served, patched, options.namespace);
    if (object.metadata.name !== name) {
      throw badRequest(
        `metadata.name: Invalid value: "${object.metadata.name}": field is immutable`,
      );
    }
    checkResourceVersion(
      served,
      name,
      object.metadata.resourceVersion,
      previous,
    );
    return {
      object: this.#writeUpdate(served, previous, object, options),
      created: false,
    };
  }

  delete(
    served: ServedResource,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions,
  ): KubeObject | KubeStatus {
    const key = ResourceRegistry.resourceKey(served.kind);
    const previous = this.#stored(served, namespace, name);
    const { uid, resourceVersion } = options.preconditions ?? {};
    if (uid && uid !== previous.metadata.uid) {
      throw conflict(
        served.kind,
        name,
        `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${previous.metadata.uid}`,
      );
    }
    if (
      resourceVersion &&
      resourceVersion !== previous.metadata.resourceVersion
    ) {
      throw conflict(
        served.kind,
        name,
        `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in meta: ${previous.metadata.resourceVersion}`,
      );
    }
    if (options.dryRun) return atVersion(served, previous);

    if ((previous.metadata.finalizers ?? []).length > 0) {
      if (previous.metadata.deletionTimestamp)
        return atVersion(served, previous);
      const marked = structuredClone(previous);
      marked.metadata.deletionTimestamp = kubeTimestamp();
      marked.metadata.deletionGracePeriodSeconds = 0;
      // The first deletion request bumps generation, so that controllers filtering on
      // generation changes see it (k8s.io/apiserver pkg/registry/generic/registry/store.go
      // markAsDeleting).
      if ((marked.metadata.generation ?? 0) > 0) {
        marked.metadata.generation = marked.metadata.generation! + 1;
      }
      return atVersion(served, this.store.put(key, marked));
    }
    if (served.kind.group === '' && served.kind.kind === 'Namespace') {
      for (const { resource, object } of this.store.objectsInNamespace(name)) {
        this.store.remove(resource, name, object.metadata.name!);
      }
    }
    const removed = this.store.remove(key, namespace, name)!;
    if (isBuiltinKind(served.kind)) return atVersion(served, removed);
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name,
        group: served.kind.group,
        kind: served.kind.plural,
        uid: removed.metadata.uid,
      },
      code: 200,
    } as KubeStatus;
  }

  /**
   * Admission under the request's fieldValidation (Warn by default), collecting its warnings.
   * Updates pass the stored object for CEL transition rules and ratcheting (not on /status at
   * 1.32: apiextensions-apiserver registry/customresource/status_strategy.go).
   */
  #admit(
    served: ServedResource,
    object: KubeObject,
    options: WriteOptions,
    previous?: KubeObject,
  ): KubeObject {
    return admit(
      served,
      object,
      options.fieldValidation ?? 'Warn',
      options.warnings ?? [],
      { oldObject: previous, ratcheting: options.subresource !== 'status' },
    );
  }

  #hasStatusSubresource(served: ServedResource): boolean {
    return served.version.hasStatusSubresource;
  }

  #scope(served: ServedResource, options: WriteOptions): FieldScope {
    if (options.subresource === 'status') return 'status';
    return this.#hasStatusSubresource(served) ? 'main' : 'all';
  }

  #ownership(served: ServedResource, options: WriteOptions) {
    return {
      manager: options.fieldManager || 'unknown',
      apiVersion: joinApiVersion(served.kind.group, served.version.name),
      scope: this.#scope(served, options),
      schema: mergeSchemaFor(served.kind.schema(served.version.name)),
    };
  }

  /** The object as stored (at the storage version), or a 404 naming it. */
  #stored(
    served: ServedResource,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    const found = this.store.get(
      ResourceRegistry.resourceKey(served.kind),
      namespace,
      name,
    );
    if (!found) throw notFound(served.kind, name);
    return found;
  }

  /** Checks apiVersion, kind and namespace of a request body against the URL. */
  #checkBody(
    served: ServedResource,
    body: unknown,
    namespace: string | undefined,
  ): KubeObject {
    if (!isPlainObject(body))
      throw badRequest('the request body must be a JSON or YAML object');
    const object = structuredClone(body) as KubeObject;
    const expected = joinApiVersion(served.kind.group, served.version.name);
    if (object.apiVersion !== undefined && object.apiVersion !== expected) {
      throw badRequest(
        `the API version in the data (${object.apiVersion}) does not match the expected API version (${expected})`,
      );
    }
    if (object.kind !== undefined && object.kind !== served.kind.kind) {
      throw badRequest(
        `the kind in the data (${object.kind}) does not match the expected kind (${served.kind.kind})`,
      );
    }
    object.apiVersion = expected;
    object.kind = served.kind.kind;
    if (!isPlainObject(object.metadata)) object.metadata = {};
    const meta = object.metadata;
    if (served.kind.scope === 'Namespaced') {
      if (meta.namespace && meta.namespace !== namespace) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      meta.namespace = namespace;
    } else {
      delete meta.namespace;
    }
    return object;
  }

  /** Builds the stored form of an update (PUT or patch) and writes it. */
  #writeUpdate(
    served: ServedResource,
    previous: KubeObject,
    incoming: KubeObject,
    options: WriteOptions,
    managedFields?: ManagedFieldsEntry[],
  ): KubeObject {
    let object: KubeObject;
    if (options.subresource === 'status') {
      object = { ...structuredClone(previous), status: incoming.status };
      if (incoming.status === undefined) delete object.status;
    } else {
      object = incoming;
      if (this.#hasStatusSubresource(served)) {
        if (previous.status === undefined) delete object.status;
        else object.status = structuredClone(previous.status);
      }
    }
    object.apiVersion = previous.apiVersion;
    setSystemMetadata(object, previous);
    if (previous.metadata.deletionTimestamp) {
      const before = new Set(previous.metadata.finalizers ?? []);
      const added = (object.metadata.finalizers ?? []).filter(
        f => !before.has(f),
      );
      if (added.length > 0) {
        throw invalid(
          served.kind.kind,
          served.kind.group,
          previous.metadata.name!,
          [
            {
              reason: 'FieldValueForbidden',
              field: 'metadata.finalizers',
              message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added
                .map(f => JSON.stringify(f))
                .join(', ')}}`,
            },
          ],
        );
      }
    }
    normalizeBuiltin(served.kind, object, false);
    const admitted = this.#admit(served, object, options, previous);
    updateGeneration(admitted, previous, this.#hasStatusSubresource(served));
    admitted.metadata.managedFields =
      managedFields ??
      recordUpdate(
        previous,
        admitted,
        previous.metadata.managedFields ?? [],
        this.#ownership(served, options),
      );
    if (isNoOpWrite(admitted, previous)) return atVersion(served, previous);
    return this.#commit(served, admitted, previous, options);
  }

  #apply(
    served: ServedResource,
    name: string,
    patch: unknown,
    options: WriteOptions & { force?: boolean },
  ): { object: KubeObject; created: boolean } {
    if (!options.fieldManager) {
      throw KubeError.of(
        422,
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        'Invalid',
        {
          group: 'meta.k8s.io',
          kind: 'PatchOptions',
          causes: [
            {
              reason: 'FieldValueRequired',
              message: 'Required value: is required for apply patch',
              field: 'fieldManager',
            },
          ],
        },
      );
    }
    if (!isPlainObject(patch))
      throw badRequest('the apply configuration must be an object');
    if (
      typeof patch.apiVersion !== 'string' ||
      typeof patch.kind !== 'string'
    ) {
      throw badRequest(
        `${
          typeof patch.apiVersion !== 'string' ? 'apiVersion' : 'kind'
        } must be set`,
      );
    }
    const config = this.#checkBody(served, patch, options.namespace);
    checkNameMatchesUrl(config, name);
    const pruned = pruneApplyConfiguration(
      served,
      config,
      options.fieldValidation ?? 'Warn',
      options.warnings ?? [],
    );
    const key = ResourceRegistry.resourceKey(served.kind);
    const previous = this.store.get(key, options.namespace, name);
    if (!previous && options.subresource === 'status')
      throw notFound(served.kind, name);
    if (!previous && served.kind.scope === 'Namespaced')
      this.requireNamespace(options.namespace!);

    const ownership = this.#ownership(served, options);
    let result;
    try {
      result = applyConfiguration(
        previous,
        pruned,
        previous?.metadata.managedFields ?? [],
        {
          ...ownership,
          force: options.force ?? false,
        },
      );
    } catch (error) {
      if (error instanceof ApplyConflictError) throw applyConflict(error);
      throw error;
    }
    const merged = result.object as KubeObject;
    merged.apiVersion = config.apiVersion;
    merged.kind = config.kind;
    merged.metadata = {
      ...(merged.metadata ?? {}),
      name,
      namespace: config.metadata.namespace,
    };
    if (served.kind.scope !== 'Namespaced') delete merged.metadata.namespace;

    if (!previous) {
      setSystemMetadata(merged, undefined);
      normalizeBuiltin(served.kind, merged, true);
      const admitted = admit(served, merged, 'Ignore', []);
      admitted.metadata.managedFields = result.managedFields;
      return {
        object: this.#commit(served, admitted, undefined, options),
        created: true,
      };
    }
    return {
      object: this.#writeUpdate(
        served,
        previous,
        merged,
        { ...options, fieldValidation: 'Ignore' },
        result.managedFields,
      ),
      created: false,
    };
  }

  #commit(
    served: ServedResource,
    object: KubeObject,
    previous: KubeObject | undefined,
    options: WriteOptions,
  ): KubeObject {
    const key = ResourceRegistry.resourceKey(served.kind);
    if (options.dryRun) return atVersion(served, object);
    const meta = object.metadata;
    // An update that empties the finalizers of an object being deleted completes the deletion.
    if (
      previous &&
      meta.deletionTimestamp &&
      (meta.finalizers ?? []).length === 0
    ) {
      this.store.put(key, object);
      return atVersion(
        served,
        this.store.remove(key, meta.namespace, meta.name!)!,
      );
    }
    return atVersion(served, this.store.put(key, object));
  }
}

/** A body naming another object than the URL is a bad request. */
function checkNameMatchesUrl(object: KubeObject, name: string) {
  if (object.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${
        object.metadata.name ?? ''
      }) does not match the name on the URL (${name})`,
    );
  }
}

/** A write that names a resourceVersion must name the stored one (optimistic concurrency). */
function checkResourceVersion(
  served: ServedResource,
  name: string,
  requestedVersion: string | undefined,
  previous: KubeObject,
) {
  if (
    requestedVersion &&
    requestedVersion !== previous.metadata.resourceVersion
  ) {
    throw conflict(
      served.kind,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  }
}

/** 409 Conflict with one FieldManagerConflict cause per field, as kubectl expects. */
function applyConflict(error: ApplyConflictError): KubeError {
  return KubeError.of(409, error.message, 'Conflict', {
    causes: error.conflicts.map(c => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${describeManager(c.entry)}`,
      field: renderPath(c.path),
    })),
  });
}
