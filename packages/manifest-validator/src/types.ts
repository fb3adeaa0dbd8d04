/**
 * One problem found in a manifest object, in the shape of a Kubernetes
 * `StatusCause` (what the API server would answer in a 422), so CRD and core
 * findings read the same.
 *
 * @public
 */
export interface ManifestIssue {
  /** A Kubernetes CauseType, e.g. `FieldValueRequired`, `UnknownField`, `UnknownKind`. */
  reason: string;
  /** Field path, e.g. `spec.predictor.model.modelFormat.name`; empty for the whole object. */
  field: string;
  message: string;
}

/**
 * How an object was checked:
 * - `crd`: against the CRD schema from the CRD folder (strict: unknown fields are errors)
 * - `core`: against the Kubernetes OpenAPI schema of a built-in kind (strict as well)
 * - `unchecked`: a kind listed in {@link KINDS_WITHOUT_SCHEMA}; reported, never silently passed
 * - `unknown`: no schema for the apiVersion/kind, which is an error
 *
 * @public
 */
export type SchemaSource = 'crd' | 'core' | 'unchecked' | 'unknown';

/** @public */
export interface ManifestObjectResult {
  /** Position of the document in its file, from 0. */
  documentIndex: number;
  apiVersion: string;
  kind: string;
  /** `namespace/name`, or `name` for cluster-scoped objects. */
  name: string;
  schemaSource: SchemaSource;
  /** Where the schema came from (CRD file, npm package) or why there is none. */
  schemaOrigin: string;
  issues: ManifestIssue[];
}

/** @public */
export interface ManifestFileResult {
  /** Path relative to the validated folder. */
  file: string;
  /**
   * `manifests` for Kubernetes objects; `helm-values` for `*.values.yaml` and `prometheus-config`
   * for `prometheus*.yaml` are parsed only.
   */
  type: 'manifests' | 'helm-values' | 'prometheus-config';
  /** YAML syntax errors and problems that concern the file rather than one object. */
  issues: ManifestIssue[];
  objects: ManifestObjectResult[];
}

/** @public */
export interface ManifestValidationReport {
  root: string;
  files: ManifestFileResult[];
  /** Problems between objects, e.g. a policy whose target is not among the manifests. */
  referenceIssues: Array<ManifestIssue & { file: string; object: string }>;
  summary: {
    files: number;
    objects: number;
    invalidObjects: number;
    uncheckedObjects: number;
    errors: number;
  };
}

/**
 * The part of the CRD catalog of `@internal/kube-sandbox` the validator uses.
 *
 * @public
 */
export interface CrdSchemaCatalog {
  find(apiVersion: string, kind: string): { sourceFile: string } | undefined;
  validate(obj: unknown, options?: { strict?: boolean }): ManifestIssue[];
}
