import { BUILTIN_KINDS } from '../schema/builtinKinds';
import { compareKubeVersions, splitApiVersion } from '../schema/kubeVersions';
import { CrdCatalog, CrdKind, CrdVersion } from '../schema/types';

/** A kind the sandbox serves: a legacy core kind or a custom resource. */
export type ResourceKind = CrdKind;

/** A kind at one served version. */
export interface ServedResource {
  kind: ResourceKind;
  version: CrdVersion;
}

export interface ServedGroup {
  group: string;
  /** Served versions, preferred first. */
  versions: string[];
}

/**
 * Every kind the sandbox serves, with lookups by URL path segments and by
 * apiVersion/kind.
 */
export class ResourceRegistry {
  readonly #kinds: ResourceKind[];

  constructor(catalog: CrdCatalog) {
    this.#kinds = [...BUILTIN_KINDS, ...catalog.kinds()];
  }

  all(): ResourceKind[] {
    return this.#kinds;
  }

  /** The key the store files objects of this kind under. */
  static resourceKey(kind: ResourceKind): string {
    return kind.group ? `${kind.plural}.${kind.group}` : kind.plural;
  }

  byPath(
    group: string,
    version: string,
    plural: string,
  ): ServedResource | undefined {
    for (const kind of this.#kinds) {
      if (kind.group !== group || kind.plural !== plural) continue;
      const served = kind.versions.find(v => v.name === version && v.served);
      if (served) return { kind, version: served };
    }
    return undefined;
  }

  byKind(apiVersion: string, kindName: string): ServedResource | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    for (const kind of this.#kinds) {
      if (kind.group !== group || kind.kind !== kindName) continue;
      const served = kind.versions.find(v => v.name === version && v.served);
      if (served) return { kind, version: served };
    }
    return undefined;
  }

  /** Kinds served at one group-version. */
  inGroupVersion(group: string, version: string): ServedResource[] {
    const found: ServedResource[] = [];
    for (const kind of this.#kinds) {
      if (kind.group !== group) continue;
      const served = kind.versions.find(v => v.name === version && v.served);
      if (served) found.push({ kind, version: served });
    }
    return found;
  }

  /** API groups other than the core group, with served versions in priority order. */
  groups(): ServedGroup[] {
    const versionsByGroup = new Map<string, Set<string>>();
    for (const kind of this.#kinds) {
      if (!kind.group) continue;
      const versions = versionsByGroup.get(kind.group) ?? new Set<string>();
      kind.versions.filter(v => v.served).forEach(v => versions.add(v.name));
      versionsByGroup.set(kind.group, versions);
    }
    return [...versionsByGroup.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([group, versions]) => ({
        group,
        versions: [...versions].sort(compareKubeVersions),
      }));
  }
}
