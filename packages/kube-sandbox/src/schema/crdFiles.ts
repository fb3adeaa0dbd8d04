import fs from 'node:fs';
import path from 'node:path';

/**
 * Folder of the CRD files: env `INFERENCE_CRDS_DIR`, otherwise
 * `<repo root>/../shared/crds`.
 *
 * @public
 */
export function defaultCrdDir(): string {
  const fromEnv = process.env.INFERENCE_CRDS_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  // The working directory is normally inside the monorepo (yarn scripts, jest);
  // otherwise fall back to where this package's source lives.
  const root =
    findRepoRoot(process.cwd()) ??
    // eslint-disable-next-line no-restricted-syntax
    findRepoRoot(__dirname) ??
    process.cwd();
  return path.resolve(root, '..', 'shared', 'crds');
}

/** The nearest ancestor holding a package.json with `workspaces`. */
function findRepoRoot(start: string): string | undefined {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
      if (pkg.workspaces) return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * A folder named like a release (`v1.8.3`) holds an older pinned copy of
 * definitions that also exist one level up; the sandbox serves one
 * definition per kind, so such folders are skipped.
 */
const PINNED_RELEASE_FOLDER = /^v\d+(\.\d+)*$/;

/** Every `.yaml`/`.yml` file under `dir`, sorted, without pinned-release folders. */
export function listCrdFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string) => {
    const entries = fs
      .readdirSync(current, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (!PINNED_RELEASE_FOLDER.test(entry.name)) walk(full);
      } else if (/\.ya?ml$/.test(entry.name)) {
        files.push(full);
      }
    }
  };
  walk(dir);
  return files;
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
