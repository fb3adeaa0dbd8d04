import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ResourceService } from './api/resourceService';
import { KubeError } from './api/statusErrors';
import { isPlainObject } from './schema/structuralValidator';
import { KubeObject } from './store/types';

/** @public */
export interface SeedProblem {
  file: string;
  /** `<apiVersion> <kind> <namespace>/<name>` of the document. */
  object: string;
  message: string;
}

/** @public */
export interface SeedReport {
  /** Objects applied, as `<kind> <namespace>/<name>`. */
  applied: string[];
  /** Documents whose apiVersion/kind the sandbox does not serve. */
  unknownKinds: SeedProblem[];
  /** Documents the API rejected (invalid, unreadable YAML, …). */
  failed: SeedProblem[];
}

const SEED_MANAGER = 'kube-sandbox-seed';

/** A YAML file itself, or every YAML file under a folder. */
function yamlFilesUnder(dir: string): string[] {
  if (fs.statSync(dir).isFile()) return [dir];
  const entries = fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name));
  return entries.flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFilesUnder(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

function describe(object: Record<string, unknown>): string {
  const meta = isPlainObject(object.metadata) ? object.metadata : {};
  const where = meta.namespace ? `${meta.namespace}/` : '';
  return `${object.apiVersion} ${object.kind} ${where}${
    meta.name ?? meta.generateName ?? '?'
  }`;
}

/** Documents of a file; `kind: List` documents contribute their items. */
function documentsOf(
  file: string,
  report: SeedReport,
): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    if (doc.errors.length > 0) {
      report.failed.push({
        file,
        object: '(unparsable document)',
        message: doc.errors[0].message,
      });
      continue;
    }
    const value = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!isPlainObject(value)) {
      report.failed.push({
        file,
        object: '(not a mapping)',
        message: 'a manifest must be a YAML mapping',
      });
    } else if (value.kind === 'List' && Array.isArray(value.items)) {
      objects.push(...value.items.filter(isPlainObject));
    } else {
      objects.push(value);
    }
  }
  return objects;
}

/**
 * Applies every YAML manifest under the given folders (recursively, all
 * documents of each file) or in the given files with server-side apply as manager
 * `kube-sandbox-seed` (forced). Namespaces are created first, including
 * ones that are only referenced. Unknown kinds and rejected objects are
 * logged and listed in the report.
 */
export function seedFromDirectories(
  service: ResourceService,
  dirs: string[],
  logger: (line: string) => void,
): SeedReport {
  const report: SeedReport = { applied: [], unknownKinds: [], failed: [] };
  const entries = dirs.flatMap(dir =>
    yamlFilesUnder(dir).flatMap(file =>
      documentsOf(file, report).map(object => ({ file, object })),
    ),
  );
  const namespaces = service.registry.byPath('', 'v1', 'namespaces')!;

  const apply = (file: string, object: Record<string, unknown>) => {
    const served =
      typeof object.apiVersion === 'string' && typeof object.kind === 'string'
        ? service.registry.byKind(object.apiVersion, object.kind)
        : undefined;
    if (!served) {
      report.unknownKinds.push({
        file,
        object: describe(object),
        message: 'no such kind is served by the sandbox',
      });
      logger(`seed: unknown kind in ${file}: ${describe(object)}`);
      return;
    }
    const meta = (
      isPlainObject(object.metadata) ? object.metadata : {}
    ) as KubeObject['metadata'];
    const namespace =
      served.kind.scope === 'Namespaced'
        ? meta.namespace ?? 'default'
        : undefined;
    try {
      service.patch(
        served,
        String(meta.name),
        'apply',
        {
          ...object,
          metadata: { ...meta, ...(namespace ? { namespace } : {}) },
        },
        {
          namespace,
          fieldManager: SEED_MANAGER,
          force: true,
          fieldValidation: 'Strict',
        },
      );
      report.applied.push(
        `${object.kind} ${namespace ? `${namespace}/` : ''}${meta.name}`,
      );
    } catch (error) {
      const message =
        error instanceof KubeError ? error.status.message! : String(error);
      report.failed.push({ file, object: describe(object), message });
      logger(`seed: ${describe(object)} from ${file} rejected: ${message}`);
    }
  };

  for (const { file, object } of entries.filter(
    e => e.object.kind === 'Namespace',
  )) {
    apply(file, object);
  }
  for (const { object } of entries) {
    const meta = isPlainObject(object.metadata) ? object.metadata : {};
    const served = service.registry.byKind(
      String(object.apiVersion),
      String(object.kind),
    );
    if (served?.kind.scope !== 'Namespaced') continue;
    const namespace =
      typeof meta.namespace === 'string' ? meta.namespace : 'default';
    if (service.store.get('namespaces', undefined, namespace)) continue;
    try {
      service.create(
        namespaces,
        { metadata: { name: namespace } },
        { fieldManager: SEED_MANAGER },
      );
    } catch (error) {
      const message =
        error instanceof KubeError ? error.status.message! : String(error);
      logger(`seed: namespace ${namespace} not created: ${message}`);
    }
  }
  for (const { file, object } of entries.filter(
    e => e.object.kind !== 'Namespace',
  )) {
    apply(file, object);
  }
  logger(
    `seed: ${report.applied.length} applied, ${report.unknownKinds.length} of unknown kinds, ${report.failed.length} rejected`,
  );
  return report;
}
