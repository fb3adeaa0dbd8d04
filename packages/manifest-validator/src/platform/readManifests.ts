import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

export type KubeObject = Record<string, any>;

/** Every object of the YAML files in `dir` (not recursive; Helm values files excluded). */
export function readObjects(dir: string): KubeObject[] {
  return fs
    .readdirSync(dir)
    .filter(name => /\.ya?ml$/.test(name) && !/\.values\.ya?ml$/.test(name))
    .flatMap(name =>
      parseAllDocuments(fs.readFileSync(path.join(dir, name), 'utf8')).map(
        d => d.toJS() as KubeObject,
      ),
    )
    .filter(Boolean);
}

/** The names of the tenant Namespaces (labelled `inference.platform.io/tenant-namespace: "true"`) among `objects`. */
export function tenantNamespaceNames(objects: KubeObject[]): string[] {
  return objects
    .filter(
      o =>
        o.kind === 'Namespace' &&
        o.metadata.labels?.['inference.platform.io/tenant-namespace'] ===
          'true',
    )
    .map(o => o.metadata.name as string);
}

/** The names of the tenant Namespaces of the YAML files in `dir`. */
export function readTenantNamespaces(dir: string): string[] {
  return tenantNamespaceNames(readObjects(dir));
}
