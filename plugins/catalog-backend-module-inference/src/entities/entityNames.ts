import {
  fitDnsLabel,
  shortHash,
} from '@inference-in-a-box/backstage-plugin-inference-common';

/** What naming needs to know of a model. */
export interface NamingInput {
  /** `cluster/namespace/name`, unique per model. */
  key: string;
  tenant: string;
  name: string;
}

/** `<tenant>-<model>`, cut to an entity name's 63 characters (with a hash when cut). */
export function tenantQualifiedName(model: NamingInput): string {
  return fitDnsLabel(`${model.tenant}-${model.name}`, 63, model.key);
}

/** Every name naming may pick for these models, so the caller can ask which are taken. */
export function candidateNames(models: NamingInput[]): string[] {
  return [...new Set(models.flatMap(m => [m.name, tenantQualifiedName(m)]))];
}

/**
 * Entity names of the models, by key. A model is named after its InferenceService when no other
 * model (in any tenant or cluster) has that name and no other source's Component uses it;
 * otherwise `<tenant>-<model>`; and if even that clashes (a cut name, or `a` + `b-c` against
 * `a-b` + `c`), the name gets a hash of the model's key. The result depends only on the set of
 * models and taken names, never on listing order, so every sync names a model the same way
 * until a clash appears or goes away.
 */
export function assignEntityNames(
  models: NamingInput[],
  taken: ReadonlySet<string>,
): Map<string, string> {
  const sameName = new Map<string, number>();
  for (const model of models) {
    sameName.set(model.name, (sameName.get(model.name) ?? 0) + 1);
  }
  const preferred = models.map(model => ({
    model,
    name:
      sameName.get(model.name) === 1 && !taken.has(model.name)
        ? model.name
        : tenantQualifiedName(model),
  }));
  const uses = new Map<string, number>();
  for (const { name } of preferred) {
    uses.set(name, (uses.get(name) ?? 0) + 1);
  }
  return new Map(
    preferred.map(({ model, name }) => [
      model.key,
      uses.get(name) === 1 && !taken.has(name)
        ? name
        : `${fitDnsLabel(name, 54, model.key)}-${shortHash(model.key)}`,
    ]),
  );
}
