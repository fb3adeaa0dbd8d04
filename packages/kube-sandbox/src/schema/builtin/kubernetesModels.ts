import fs from 'node:fs';
import path from 'node:path';

/**
 * The OpenAPI definitions of the built-in kinds, as the npm package `kubernetes-models` ships them.
 *
 * `kubernetes-models` 4.3.1 is generated (by `@kubernetes-models/openapi-generate`) from the
 * Kubernetes OpenAPI v2 spec `api/openapi-spec/swagger.json` of v1.27.1 (the version its README
 * names; older specs are merged in only for APIs removed since, which the sandbox does not serve).
 * It is the last release that ships the definitions as JSON Schema: from 4.4.0 on the package
 * holds only compiled validators. Each definition is a module `_schemas/<Name>.js` (the
 * apimachinery ones in `@kubernetes-models/apimachinery`) whose `const schema = {…};` is the
 * definition as JSON, with `$ref: "<id>#"` to the others. The literal is read from the module text
 * and parsed as JSON, without running the module (which would set up the package's ajv
 * validator, ~150 ms).
 *
 * Loading is lazy: a definition is read the first time a kind's schema needs it.
 */

/** The package and the Kubernetes release its definitions come from. */
export const SCHEMA_SOURCE = {
  npmPackage: 'kubernetes-models',
  npmVersion: '4.3.1',
  kubernetesVersion: 'v1.27.1',
};

/** A definition as the package publishes it (JSON Schema with `$ref: "<id>#"`). */
export type RawDefinition = Record<string, unknown>;

const definitions = new Map<string, RawDefinition>();
let schemaFolders: string[] | undefined;

/** `_schemas/` of `kubernetes-models` and of the `@kubernetes-models/apimachinery` it depends on. */
function folders(): string[] {
  if (!schemaFolders) {
    // The packages' `exports` hide `_schemas/`; their main entries locate the folders.
    const models = path.dirname(require.resolve('kubernetes-models'));
    const apimachinery = path.dirname(
      require.resolve('@kubernetes-models/apimachinery', { paths: [models] }),
    );
    schemaFolders = [models, apimachinery].map(dir =>
      path.join(dir, '_schemas'),
    );
  }
  return schemaFolders;
}

/** `io.k8s.api.apps.v1.Deployment` -> `IoK8sApiAppsV1Deployment` (the module naming of the package). */
export function moduleNameOf(id: string): string {
  return id
    .split(/[.-]/)
    .map(part => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

const LITERAL_START = 'const schema = ';
const LITERAL_END = '\n};';

function load(id: string): RawDefinition | undefined {
  const file = folders()
    .map(dir => path.join(dir, `${moduleNameOf(id)}.js`))
    .find(candidate => fs.existsSync(candidate));
  if (!file) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf(LITERAL_START);
  const end = text.indexOf(LITERAL_END, start);
  if (start < 0 || end < 0) {
    throw new Error(`${file} has no schema literal`);
  }
  return JSON.parse(text.slice(start + LITERAL_START.length, end + 2));
}

/** The published definition `id` (e.g. `io.k8s.api.apps.v1.Deployment`); throws when there is none. */
export function rawDefinition(id: string): RawDefinition {
  let found = definitions.get(id);
  if (!found) {
    found = load(id);
    if (!found) {
      throw new Error(
        `${SCHEMA_SOURCE.npmPackage}@${SCHEMA_SOURCE.npmVersion} has no definition ${id}`,
      );
    }
    definitions.set(id, found);
  }
  return found;
}
