import { KubeObject } from '../../store/types';

/**
 * The `meta.k8s.io` Table types (k8s.io/apimachinery/pkg/apis/meta/v1/types.go,
 * v0.32) and the convertor shape the sandbox uses to fill them.
 */

/** `TableColumnDefinition`: every field is always serialized (no omitempty). */
export interface TableColumnDefinition {
  name: string;
  /** OpenAPI type: string, integer, number, boolean or date. */
  type: string;
  format: string;
  description: string;
  /** 0 for default output, 1 and up for `-o wide` only. */
  priority: number;
}

/** `TableRowCondition` (only `Completed` exists upstream). */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export type TableCell = string | number | boolean | null;

export interface TableRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
  /** PartialObjectMetadata, the full object, or null (includeObject=None). */
  object: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: {
    resourceVersion?: string;
    continue?: string;
    remainingItemCount?: number;
  };
  /** null on watch events after the first, as the API server sends them. */
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

/** The cells (and row conditions) of one object. */
export interface RowCells {
  cells: TableCell[];
  conditions?: TableRowCondition[];
}

/** Turns objects of one kind into table columns and rows (upstream `rest.TableConvertor`). */
export interface TableConvertor {
  columns: TableColumnDefinition[];
  row(object: KubeObject, now: number): RowCells;
}

/** A column definition with the defaults Go's zero values give. */
export function column(
  name: string,
  type: string,
  description: string,
  options: { format?: string; priority?: number } = {},
): TableColumnDefinition {
  return {
    name,
    type,
    format: options.format ?? '',
    description,
    priority: options.priority ?? 0,
  };
}

/** `metav1.ObjectMeta{}.SwaggerDoc()["name"]`, the first column of almost every table. */
export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

/** `metav1.ObjectMeta{}.SwaggerDoc()["creationTimestamp"]`. */
export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const nameColumn = (): TableColumnDefinition =>
  column('Name', 'string', NAME_DESCRIPTION, { format: 'name' });

export const ageColumn = (): TableColumnDefinition =>
  column('Age', 'string', CREATION_TIMESTAMP_DESCRIPTION);
