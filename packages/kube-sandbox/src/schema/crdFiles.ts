import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * Folder of the CRD files: env `INFERENCE_CRDS_DIR`, otherwise the copies
 * vendored with this package (`crds/`, pinned by `crds/sources.tsv`).
 *
 * @public
 */
export function defaultCrdDir(): string {
  const fromEnv = process.env.INFERENCE_CRDS_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  // This file is src/schema/crdFiles.ts whether run from source or from dist/.
  // eslint-disable-next-line no-restricted-syntax
  return path.resolve(__dirname, '..', '..', 'crds');
}

const CRD_FILE = /\.ya?ml(\.gz)?$/;

/** Every CRD file (`.yaml`, `.yml`, or either gzip-compressed) under `dir`, sorted. */
export function listCrdFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string) => {
    const entries = fs
      .readdirSync(current, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (CRD_FILE.test(entry.name)) files.push(full);
    }
  };
  walk(dir);
  return files;
}

/** The text of a CRD file, decompressed when its name ends in `.gz`. */
export function readCrdText(file: string): string {
  const bytes = fs.readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

/**
 * Rank used when two files define the same group and kind: Gateway API's
 * experimental channel wins over standard (Envoy Gateway 1.9 bundles the
 * experimental channel, a superset); otherwise the first file in sorted
 * path order wins.
 */
export function definitionPreference(file: string): number {
  return file.split(path.sep).includes('experimental') ? 1 : 0;
}
