import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  readModelEntityAnnotations,
  type ModelLocator,
  type ModelSummary,
  type ModelType,
  type PublicationState,
} from '@inference-in-a-box/backstage-plugin-inference-common';

/** `not-deployed`: in the catalog but no InferenceService; `unknown`: live status could not be read. */
export type ModelRowStatus = 'ready' | 'not-ready' | 'not-deployed' | 'unknown';

export const MODEL_ROW_STATUS_LABELS: Record<ModelRowStatus, string> = {
  ready: 'Ready',
  'not-ready': 'Not ready',
  'not-deployed': 'Not deployed',
  unknown: 'Unknown',
};

/** One line of the models table: a catalog model joined with its live InferenceService. */
export interface ModelRow {
  id: string;
  /** Entity title, else its name, else the InferenceService name. */
  displayName: string;
  /** Set when the model is in the catalog (live models the catalog misses are listed too). */
  entityRef?: string;
  /** Set when the model can be addressed on the backend (annotations or live listing). */
  locator?: ModelLocator;
  tenant: string;
  framework: string;
  modelType: ModelType | 'unknown';
  status: ModelRowStatus;
  statusReason?: string;
  published: boolean;
  /** The publication's state from the live listing (`drifted` once a drift check found changes). */
  publicationState?: PublicationState;
  /** Lowercased text the search box matches against, built once per row. */
  searchText: string;
}

/** Catalog fields the table needs: fetching only these keeps 5,000 entities light. */
export const MODEL_ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.type',
  'spec.owner',
];

const keyOf = (m: { cluster?: string; namespace: string; name: string }) =>
  `${m.cluster ?? ''}/${m.namespace}/${m.name}`;

function ownerName(entity: Entity): string | undefined {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string') return undefined;
  try {
    return parseEntityRef(owner, { defaultKind: 'group' }).name;
  } catch {
    return undefined;
  }
}

function liveStatus(summary: ModelSummary | undefined, liveKnown: boolean) {
  if (!liveKnown) return { status: 'unknown' as const };
  if (!summary) return { status: 'not-deployed' as const };
  return summary.status.ready
    ? { status: 'ready' as const }
    : { status: 'not-ready' as const, statusReason: summary.status.reason };
}

function withSearchText(row: Omit<ModelRow, 'searchText'>): ModelRow {
  return {
    ...row,
    searchText: [
      row.displayName,
      row.entityRef,
      row.locator?.name,
      row.locator?.namespace,
      row.tenant,
      row.framework,
      row.modelType,
    ]
      .filter(Boolean)
      .join(' ')
      .toLocaleLowerCase('en-US'),
  };
}

/**
 * Joins catalog model entities with the live models (`GET /models`) by cluster, namespace and
 * name from the annotations. An entity without a cluster annotation matches a live model by
 * namespace and name when only one cluster has it. `live` is undefined when the live listing
 * failed: rows then show status unknown rather than "not deployed".
 */
export function buildModelRows(
  entities: Entity[],
  live: ModelSummary[] | undefined,
): ModelRow[] {
  const byKey = new Map<string, ModelSummary>();
  const byNamespacedName = new Map<string, ModelSummary[]>();
  for (const model of live ?? []) {
    byKey.set(keyOf(model), model);
    const key = `${model.namespace}/${model.name}`;
    byNamespacedName.set(key, [...(byNamespacedName.get(key) ?? []), model]);
  }
  const matched = new Set<ModelSummary>();
  const rows: ModelRow[] = entities.map(entity => {
    const annotations = readModelEntityAnnotations(entity);
    const ref = annotations?.locator;
    const entityRef = stringifyEntityRef(entity);
    let summary: ModelSummary | undefined;
    if (ref?.cluster) {
      summary = byKey.get(keyOf(ref));
    } else if (ref) {
      const candidates = byNamespacedName.get(`${ref.namespace}/${ref.name}`);
      summary = candidates?.length === 1 ? candidates[0] : undefined;
    }
    if (summary) matched.add(summary);
    const cluster = summary?.cluster ?? ref?.cluster;
    return withSearchText({
      id: entityRef,
      displayName: entity.metadata.title ?? entity.metadata.name,
      entityRef,
      locator:
        ref && cluster
          ? { cluster, namespace: ref.namespace, name: ref.name }
          : undefined,
      tenant: summary?.tenant ?? ownerName(entity) ?? ref?.namespace ?? '',
      framework: summary?.framework ?? annotations?.framework ?? '',
      modelType: summary?.modelType ?? annotations?.modelType ?? 'unknown',
      ...(ref
        ? liveStatus(summary, live !== undefined)
        : {
            status: 'unknown' as const,
            statusReason: 'missing inference annotations',
          }),
      published: summary?.published ?? false,
      publicationState: summary?.publicationState,
    });
  });
  for (const model of live ?? []) {
    if (matched.has(model)) continue;
    rows.push(
      withSearchText({
        id: keyOf(model),
        displayName: model.name,
        locator: {
          cluster: model.cluster,
          namespace: model.namespace,
          name: model.name,
        },
        tenant: model.tenant,
        framework: model.framework,
        modelType: model.modelType,
        ...liveStatus(model, true),
        published: model.published,
        publicationState: model.publicationState,
      }),
    );
  }
  return rows;
}

export interface ModelRowFilters {
  tenant?: string;
  framework?: string;
  modelType?: string;
  status?: ModelRowStatus;
  /** Free text; every word must appear somewhere in the row. */
  search: string;
}

export function filterModelRows(
  rows: ModelRow[],
  filters: ModelRowFilters,
): ModelRow[] {
  const words = filters.search
    .toLocaleLowerCase('en-US')
    .split(/\s+/)
    .filter(Boolean);
  return rows.filter(
    row =>
      (!filters.tenant || row.tenant === filters.tenant) &&
      (!filters.framework || row.framework === filters.framework) &&
      (!filters.modelType || row.modelType === filters.modelType) &&
      (!filters.status || row.status === filters.status) &&
      words.every(word => row.searchText.includes(word)),
  );
}

export type ModelSortKey =
  | 'displayName'
  | 'tenant'
  | 'framework'
  | 'modelType'
  | 'status'
  | 'published';

export interface ModelSort {
  key: ModelSortKey;
  direction: 'asc' | 'desc';
}

const collator = new Intl.Collator('en-US', {
  numeric: true,
  sensitivity: 'base',
});

const STATUS_ORDER: Record<ModelRowStatus, number> = {
  ready: 0,
  'not-ready': 1,
  'not-deployed': 2,
  unknown: 3,
};

function compareBy(key: ModelSortKey, a: ModelRow, b: ModelRow): number {
  switch (key) {
    case 'status':
      return STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
    case 'published':
      return Number(b.published) - Number(a.published);
    default:
      return collator.compare(a[key], b[key]);
  }
}

/** Sorts a copy; ties fall back to the name so the order is stable across renders. */
export function sortModelRows(rows: ModelRow[], sort: ModelSort): ModelRow[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...rows].sort(
    (a, b) =>
      sign * compareBy(sort.key, a, b) ||
      collator.compare(a.displayName, b.displayName),
  );
}

/** The distinct values present in the rows, for the filter menus. */
export function filterOptions(rows: ModelRow[]) {
  const distinct = (values: string[]) =>
    [...new Set(values.filter(Boolean))].sort(collator.compare);
  return {
    tenants: distinct(rows.map(r => r.tenant)),
    frameworks: distinct(rows.map(r => r.framework)),
    modelTypes: distinct(rows.map(r => r.modelType)),
  };
}
