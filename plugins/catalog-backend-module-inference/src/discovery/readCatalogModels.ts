import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  readModelEntityAnnotations,
  MODEL_ENTITY_FILTER,
  MODEL_ENTITY_KIND,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { isProvidedEntity } from '../entities/location';
import { modelKey } from './types';

const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
];

/** A model entity declared outside this provider (catalog YAML). */
export interface DeclaredModel {
  ref: string;
  name: string;
}

/**
 * Model entities declared elsewhere (the repository's catalog YAML), by model key. The provider
 * emits no Component for these: the declared entity already is the model's page.
 */
export async function readDeclaredModels(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  defaultCluster: string;
}): Promise<Map<string, DeclaredModel>> {
  const { items } = await options.catalog.getEntities(
    { filter: { ...MODEL_ENTITY_FILTER }, fields: FIELDS },
    { credentials: options.credentials },
  );
  const declared = new Map<string, DeclaredModel>();
  for (const entity of items) {
    const ref = readModelEntityAnnotations(entity)?.locator;
    if (!ref || isProvidedEntity(entity)) continue;
    declared.set(
      modelKey({
        cluster: ref.cluster ?? options.defaultCluster,
        namespace: ref.namespace,
        name: ref.name,
      }),
      { ref: stringifyEntityRef(entity), name: entity.metadata.name },
    );
  }
  return declared;
}

/** Which of `names` another source already uses for a Component in the default namespace. */
export async function readForeignComponentNames(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  names: string[];
}): Promise<Set<string>> {
  if (options.names.length === 0) return new Set();
  const { items } = await options.catalog.getEntitiesByRefs(
    {
      entityRefs: options.names.map(name =>
        stringifyEntityRef({
          kind: MODEL_ENTITY_KIND,
          namespace: 'default',
          name,
        }),
      ),
      fields: FIELDS,
    },
    { credentials: options.credentials },
  );
  return new Set(
    items.flatMap(entity =>
      entity && !isProvidedEntity(entity) ? [entity.metadata.name] : [],
    ),
  );
}
