import { loadCrdCatalog } from '@internal/kube-sandbox';
import { listYamlFiles, parseManifestFile } from './loadManifestFiles';
import { checkReferences, LocatedObject } from './references';
import {
  CrdSchemaCatalog,
  ManifestFileResult,
  ManifestObjectResult,
  ManifestValidationReport,
} from './types';
import { validateObject } from './validateObject';

/** @public */
export interface ValidateManifestsOptions {
  /** Folder of CRD files; defaults to the CRD folder of `@internal/kube-sandbox` (`INFERENCE_CRDS_DIR`). */
  crdDir?: string;
  /** A loaded catalog, to share one between several runs (loading parses ~13 MiB of CRDs). */
  crdCatalog?: CrdSchemaCatalog;
}

function describe(
  value: unknown,
): Pick<ManifestObjectResult, 'apiVersion' | 'kind' | 'name'> {
  const obj = (
    typeof value === 'object' && value !== null ? value : {}
  ) as Record<string, unknown>;
  const metadata = (obj.metadata ?? {}) as Record<string, unknown>;
  const name = String(metadata.name ?? '<unnamed>');
  return {
    apiVersion: String(obj.apiVersion ?? ''),
    kind: String(obj.kind ?? ''),
    name: metadata.namespace ? `${metadata.namespace}/${name}` : name,
  };
}

/**
 * Parses every YAML file under `dir` (all documents) and checks each Kubernetes object against
 * its schema, then the references between objects. Helm values files (`*.values.yaml`) are only
 * parsed. Nothing here needs a cluster or the network.
 *
 * @public
 */
export function validateManifests(
  dir: string,
  options: ValidateManifestsOptions = {},
): ManifestValidationReport {
  const crds = options.crdCatalog ?? loadCrdCatalog(options.crdDir);
  const files: ManifestFileResult[] = [];
  const located: LocatedObject[] = [];

  for (const file of listYamlFiles(dir)) {
    const parsed = parseManifestFile(dir, file);
    const objects: ManifestObjectResult[] = [];
    if (parsed.type === 'manifests') {
      for (const document of parsed.documents) {
        const check = validateObject(document.value, crds);
        objects.push({
          documentIndex: document.index,
          ...describe(document.value),
          ...check,
        });
        if (check.schemaSource !== 'unknown') {
          located.push({
            file,
            obj: document.value as Record<string, unknown>,
          });
        }
      }
    }
    files.push({ file, type: parsed.type, issues: parsed.issues, objects });
  }

  const referenceIssues = checkReferences(located);
  const allObjects = files.flatMap(f => f.objects);
  const invalidObjects = allObjects.filter(o => o.issues.length > 0).length;
  return {
    root: dir,
    files,
    referenceIssues,
    summary: {
      files: files.length,
      objects: allObjects.length,
      invalidObjects,
      uncheckedObjects: allObjects.filter(o => o.schemaSource === 'unchecked')
        .length,
      errors:
        files.reduce((n, f) => n + f.issues.length, 0) +
        allObjects.reduce((n, o) => n + o.issues.length, 0) +
        referenceIssues.length,
    },
  };
}
