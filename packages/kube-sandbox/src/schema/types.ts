/**
 * The subset of the Kubernetes `JSONSchemaProps` (structural OpenAPI v3
 * schema) that CRDs use and that the validator understands.
 */
export interface JsonSchemaProps {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, JsonSchemaProps>;
  additionalProperties?: JsonSchemaProps | boolean;
  items?: JsonSchemaProps;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  nullable?: boolean;
  default?: unknown;
  allOf?: JsonSchemaProps[];
  anyOf?: JsonSchemaProps[];
  oneOf?: JsonSchemaProps[];
  not?: JsonSchemaProps;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: unknown[];
}

/**
 * One problem found in an object, in the shape of a Kubernetes
 * `StatusCause` (`details.causes[]` of a 422 Invalid answer).
 *
 * @public
 */
export interface ValidationCause {
  /** A Kubernetes CauseType, e.g. `FieldValueRequired`; `UnknownField` for strict decoding errors. */
  reason: string;
  /** Field path as the API server prints it, e.g. `spec.predictor.model.modelFormat.name`. */
  field: string;
  /** Detail without the field prefix, e.g. `Required value`. */
  message: string;
}

/** @public */
export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated: boolean;
  deprecationWarning?: string;
  /** True when the version declares a `status` subresource. */
  hasStatusSubresource: boolean;
  /** The version's `additionalPrinterColumns` (custom resources; `kubectl get` tables). */
  additionalPrinterColumns?: PrinterColumn[];
}

/**
 * One `additionalPrinterColumns` entry of a CRD version
 * (apiextensions/v1 `CustomResourceColumnDefinition`).
 *
 * @public
 */
export interface PrinterColumn {
  name: string;
  /** integer, number, string, boolean or date. */
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/**
 * A kind defined by a CustomResourceDefinition (or, for the sandbox, a
 * built-in legacy kind described the same way).
 *
 * @public
 */
export interface CrdKind {
  /** API group; `''` for the legacy core group. */
  group: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  scope: 'Namespaced' | 'Cluster';
  /** All versions, in Kubernetes priority order (GA, beta, alpha; newest first): the first served one is preferred. */
  versions: CrdVersion[];
  storageVersion: string;
  /** File the definition came from (empty for built-ins). */
  sourceFile: string;
  /** The version's `openAPIV3Schema`, parsed on first use and cached. */
  schema(version: string): JsonSchemaProps | undefined;
}

/** @public */
export interface ValidateOptions {
  /** Report fields the schema does not know (as `UnknownField` causes) instead of dropping them. */
  strict?: boolean;
}

/** @public */
export interface CrdCatalog {
  /** Every custom resource kind found in the CRD folder, after de-duplication. */
  kinds(): CrdKind[];
  /** The kind for an `apiVersion` (`group/version`) and `kind`, if that version is served. */
  find(apiVersion: string, kind: string): CrdKind | undefined;
  /**
   * Validates an object against its CRD schema (or the built-in schema of a
   * legacy core kind). Returns `[]` when valid; an unknown apiVersion/kind
   * gives a single cause.
   */
  validate(obj: unknown, options?: ValidateOptions): ValidationCause[];
}
