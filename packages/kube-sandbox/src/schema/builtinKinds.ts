import { BUILTIN_RESOURCES, BuiltinResource } from './builtin/builtinResources';
import { kindSchema } from './builtin/structuralSchema';
import { CrdKind, JsonSchemaProps } from './types';

/**
 * The built-in kinds the sandbox serves (builtin/builtinResources.ts), described like custom
 * resources. Their schemas are the Kubernetes OpenAPI definitions of the `kubernetes-models`
 * package (Kubernetes v1.27.1, see builtin/kubernetesModels.ts), converted to structural schemas
 * on first use (builtin/structuralSchema.ts). The real API server validates built-ins with
 * hand-written Go code that checks more (e.g. that a Deployment's selector matches its template);
 * the sandbox checks what the OpenAPI schema says: types, formats, required fields, enums, and
 * unknown fields for `fieldValidation`.
 */

function builtinKind(resource: BuiltinResource): CrdKind {
  let schema: JsonSchemaProps | undefined;
  return {
    group: resource.group,
    kind: resource.kind,
    listKind: `${resource.kind}List`,
    plural: resource.plural,
    singular: resource.kind.toLowerCase(),
    shortNames: resource.shortNames ?? [],
    categories: resource.categories ?? [],
    scope: resource.scope,
    versions: [
      {
        name: resource.version,
        served: true,
        storage: true,
        deprecated: false,
        hasStatusSubresource: resource.status === true,
      },
    ],
    storageVersion: resource.version,
    sourceFile: '',
    schema(version) {
      if (version !== resource.version) return undefined;
      schema ??= kindSchema(resource.definition);
      return schema;
    },
  };
}

export const BUILTIN_KINDS: CrdKind[] = BUILTIN_RESOURCES.map(builtinKind);

/**
 * Whether a kind is built into the API server rather than defined by a CRD: built-in kinds
 * answer a DELETE with the object, take strategic merge patches and allow a PUT without
 * `metadata.resourceVersion`.
 */
export function isBuiltinKind(kind: CrdKind): boolean {
  return kind.sourceFile === '';
}
