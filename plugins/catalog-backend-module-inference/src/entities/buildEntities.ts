import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { DeclaredModel } from '../discovery/readCatalogModels';
import { DiscoveredModel, keyOf, ModelPublication } from '../discovery/types';
import { buildApiEntity } from './buildApiEntity';
import { buildModelEntity } from './buildModelEntity';
import { assignEntityNames, NamingInput } from './entityNames';

export function namingInputOf(model: DiscoveredModel): NamingInput {
  return {
    key: keyOf(model),
    tenant: model.tenant.name,
    name: model.isvc.metadata.name,
  };
}

const isPublished = (
  model: DiscoveredModel,
): model is DiscoveredModel & { publication: ModelPublication } =>
  Boolean(model.publication);

/**
 * All entities of a sync: a Component per discovered model, and an API entity per publication.
 * A model that is already declared elsewhere (catalog YAML) gets no Component, but its
 * publication still gets an API entity, named after the declared Component.
 */
export function buildEntities(input: {
  models: DiscoveredModel[];
  declared: ReadonlyMap<string, DeclaredModel>;
  /** Component names other sources use. */
  takenNames: ReadonlySet<string>;
  system: string;
}): Entity[] {
  const { system } = input;
  const provided = input.models.filter(m => !input.declared.has(keyOf(m)));
  const names = assignEntityNames(
    provided.map(namingInputOf),
    input.takenNames,
  );

  const entities = provided.flatMap(model => {
    const name = names.get(keyOf(model))!;
    if (!isPublished(model)) {
      return [buildModelEntity({ model, name, system })];
    }
    const component = buildModelEntity({
      model,
      name,
      system,
      apiRef: stringifyEntityRef({ kind: 'API', namespace: 'default', name }),
    });
    const api = buildApiEntity({
      model,
      name,
      system,
      providedBy: stringifyEntityRef(component),
    });
    return [component, api];
  });

  for (const model of input.models.filter(isPublished)) {
    const declared = input.declared.get(keyOf(model));
    if (declared) {
      entities.push(
        buildApiEntity({
          model,
          name: declared.name,
          system,
          providedBy: declared.ref,
        }),
      );
    }
  }
  return entities.sort((a, b) =>
    stringifyEntityRef(a).localeCompare(stringifyEntityRef(b)),
  );
}
