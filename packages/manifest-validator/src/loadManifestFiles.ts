import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ManifestIssue } from './types';

/** Helm values files hold chart settings, not Kubernetes objects: `<name>.values.yaml`. */
const HELM_VALUES_FILE = /\.values\.ya?ml$/;
/** A Prometheus server's own configuration (development), not Kubernetes objects. */
const PROMETHEUS_CONFIG_FILE = /(^|\/)prometheus(\.[a-z]+)*\.ya?ml$/;

/** What a YAML file under configs/ holds; only `manifests` are validated as objects. */
function fileType(file: string): ParsedManifestFile['type'] {
  if (HELM_VALUES_FILE.test(file)) return 'helm-values';
  if (PROMETHEUS_CONFIG_FILE.test(file)) return 'prometheus-config';
  return 'manifests';
}

export interface ParsedDocument {
  index: number;
  value: unknown;
}

export interface ParsedManifestFile {
  /** Path relative to the root folder, with `/` separators. */
  file: string;
  type: 'manifests' | 'helm-values' | 'prometheus-config';
  documents: ParsedDocument[];
  issues: ManifestIssue[];
}

/** Every `.yaml`/`.yml` file under `root`, sorted, as paths relative to `root`. */
export function listYamlFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (relative: string) => {
    const entries = fs
      .readdirSync(path.join(root, relative), { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (/\.ya?ml$/.test(entry.name)) files.push(child);
    }
  };
  walk('');
  return files;
}

/**
 * Parses one file with every document in it. Empty documents (a trailing `---`) are dropped;
 * YAML errors are reported with their line so nothing is skipped silently.
 */
export function parseManifestFile(
  root: string,
  file: string,
): ParsedManifestFile {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const issues: ManifestIssue[] = [];
  const documents: ParsedDocument[] = [];
  parseAllDocuments(text, { prettyErrors: true }).forEach((document, index) => {
    for (const error of document.errors) {
      issues.push({
        reason: 'YamlSyntax',
        field: '',
        message: `document ${index}: ${error.message}`,
      });
    }
    if (document.errors.length > 0) return;
    try {
      const value = document.toJS({ maxAliasCount: 100 });
      if (value !== null && value !== undefined)
        documents.push({ index, value });
    } catch (error) {
      // e.g. an alias to an anchor of another document: anchors do not cross `---`.
      issues.push({
        reason: 'YamlSyntax',
        field: '',
        message: `document ${index}: ${(error as Error).message}`,
      });
    }
  });
  return {
    file,
    type: fileType(file),
    documents,
    issues,
  };
}
