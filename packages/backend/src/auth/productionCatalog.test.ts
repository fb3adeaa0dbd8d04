// No demo user signs in to production: the catalog files app-config.production.yaml loads hold no
// User, and the same groups as development (catalog/org.yaml) so the tenants are the same.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import { parse, parseAllDocuments } from 'yaml';

const ROOT = resolve(__dirname, '../../../..');
const DEMO_USERS = ['dev-a', 'dev-b', 'dev-c', 'platform-admin', 'visitor'];

function entitiesOf(file: string): Entity[] {
  return parseAllDocuments(readFileSync(resolve(ROOT, file), 'utf8')).map(
    d => d.toJS() as Entity,
  );
}

/** The files of `catalog.locations` in a config file, relative to the repository root. */
function locationFiles(configFile: string, base: string): string[] {
  const config = parse(readFileSync(resolve(ROOT, configFile), 'utf8'));
  return config.catalog.locations.map((l: { target: string }) =>
    resolve(ROOT, base, l.target),
  );
}

const groupsOf = (entities: Entity[]) =>
  entities
    .filter(e => e.kind === 'Group')
    .map(e => ({
      name: e.metadata.name,
      type: e.spec?.type,
      namespace: e.metadata.annotations?.['inference.platform.io/namespace'],
    }));

describe('the production catalog', () => {
  // Production runs from the repository root (the image's working directory).
  const production = locationFiles('app-config.production.yaml', '.').flatMap(
    entitiesOf,
  );
  // Development runs the backend from packages/backend.
  const development = locationFiles('app-config.yaml', 'packages/backend')
    .filter(f => f.endsWith('.yaml') && !f.includes('templates'))
    .flatMap(entitiesOf);

  it('has no users, and no group names a member', () => {
    expect(production.length).toBeGreaterThan(0);
    expect(production.filter(e => e.kind === 'User')).toEqual([]);
    for (const group of production.filter(e => e.kind === 'Group')) {
      expect(group.spec?.members ?? []).toEqual([]);
    }
  });

  it('is what development has, minus the demo users', () => {
    expect(
      development
        .filter(e => e.kind === 'User')
        .map(e => e.metadata.name)
        .sort(),
    ).toEqual([...DEMO_USERS].sort());
    expect(groupsOf(production)).toEqual(groupsOf(development));
    expect(groupsOf(production).map(g => g.name)).toContain('platform-admins');
  });
});
