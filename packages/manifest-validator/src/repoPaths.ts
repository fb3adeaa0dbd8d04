import path from 'node:path';

/**
 * The repository root, for the tests that check the repository's own configs/ and scripts/. This
 * package is only ever run from its source in the repository (never bundled), so its location is
 * a stable anchor.
 */
// eslint-disable-next-line no-restricted-syntax
export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const CONFIGS_DIR = path.join(REPO_ROOT, 'configs');
export const SCRIPTS_DIR = path.join(REPO_ROOT, 'scripts');
