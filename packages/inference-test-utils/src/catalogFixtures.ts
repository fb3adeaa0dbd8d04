import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

const CATALOG_DIR = resolvePackagePath(
  '@internal/inference-test-utils',
  '../../catalog',
);

/**
 * The repository's own catalog files (tenants, users, models), with the membership relations the
 * catalog would compute, so tests exercise the same org as the running portal.
 */
export function loadCatalogEntities(
  files = ['org.yaml', 'models.yaml', 'system.yaml'],
): Entity[] {
  const entities = files.flatMap(file =>
    parseAllDocuments(readFileSync(resolve(CATALOG_DIR, file), 'utf8')).map(
      doc => {
        const entity = doc.toJS() as Entity;
        entity.metadata.namespace ??= 'default';
        return entity;
      },
    ),
  );
  const members = new Map<string, string[]>();
  for (const user of entities.filter(e => e.kind === 'User')) {
    for (const group of (user.spec?.memberOf as string[]) ?? []) {
      const groupRef = `group:default/${group}`;
      members.set(groupRef, [
        ...(members.get(groupRef) ?? []),
        stringifyEntityRef(user),
      ]);
    }
  }
  return entities.map(entity =>
    entity.kind === 'Group'
      ? {
          ...entity,
          relations: (members.get(stringifyEntityRef(entity)) ?? []).map(
            targetRef => ({
              type: 'hasMember',
              targetRef,
            }),
          ),
        }
      : entity,
  );
}

/** Group memberships per user, as the catalog resolves them at sign-in (ownership entity refs). */
export function membershipOf(entities: Entity[], userRef: string): string[] {
  const user = entities.find(
    e => e.kind === 'User' && stringifyEntityRef(e) === userRef,
  );
  return [
    userRef,
    ...((user?.spec?.memberOf as string[]) ?? []).map(
      g => `group:default/${g}`,
    ),
  ];
}
