import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

const CATALOG_DIR = resolvePackagePath(
  '@internal/inference-test-utils',
  '../../catalog',
);

/**
 * The location ref the catalog records for an entity of one of the repository's catalog files
 * registered in `catalog.locations` (`type: file`): `file:` and the absolute path, the target being
 * resolved against the backend's working directory (upstream `ConfigLocationEntityProvider`).
 */
export function catalogFileLocation(file: string): string {
  return `file:${resolve(CATALOG_DIR, file)}`;
}

/**
 * The repository's own catalog files (tenants, users, models), with the membership relations and
 * the location annotations the catalog would set (`backstage.io/managed-by-location` and
 * `backstage.io/managed-by-origin-location`, both the file itself, whatever the YAML says), so
 * tests exercise the same org as the running portal, trusted tenants included.
 */
export function loadCatalogEntities(
  files = ['org.yaml', 'models.yaml', 'system.yaml'],
): Entity[] {
  const entities = files.flatMap(file =>
    parseAllDocuments(readFileSync(resolve(CATALOG_DIR, file), 'utf8')).map(
      doc => {
        const entity = doc.toJS() as Entity;
        entity.metadata.namespace ??= 'default';
        entity.metadata.annotations = {
          ...entity.metadata.annotations,
          [ANNOTATION_LOCATION]: catalogFileLocation(file),
          [ANNOTATION_ORIGIN_LOCATION]: catalogFileLocation(file),
        };
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
