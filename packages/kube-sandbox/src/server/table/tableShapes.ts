import { KubeObject } from '../../store/types';
import {
  containerCells,
  formatLabelSelector,
  at,
  templateContainers,
} from './cellFormatting';
import { translateTimestampSince } from './humanDuration';
import {
  ageColumn,
  column,
  nameColumn,
  TableCell,
  TableColumnDefinition,
  TableConvertor,
} from './tableTypes';

/**
 * The two column layouts most upstream printers share, so each kind's table
 * only states its own columns and cells.
 */

type Cells = (o: KubeObject, now: number) => TableCell[];

/** The Age cell: time since `metadata.creationTimestamp`. */
export const objectAge = (o: KubeObject, now: number): string =>
  translateTimestampSince(o.metadata.creationTimestamp, now);

/** Name, the kind's own columns, then Age. */
export function namedAgedTable(
  columns: TableColumnDefinition[],
  cells: Cells,
): TableConvertor {
  return {
    columns: [nameColumn(), ...columns, ageColumn()],
    row: (o, now) => ({
      cells: [o.metadata.name ?? '', ...cells(o, now), objectAge(o, now)],
    }),
  };
}

const CONTAINERS_COLUMN = column(
  'Containers',
  'string',
  'Names of each container in the template.',
  { priority: 1 },
);
const IMAGES_COLUMN = column(
  'Images',
  'string',
  'Images referenced by each container in the template.',
  { priority: 1 },
);

/** How a pod-template table finds its containers and prints its selector. */
export interface PodTemplateTableOptions {
  /** Description of the wide Selector column; no such column without it. */
  selectorDescription?: string;
  /** Defaults to `spec.template.spec.containers`. */
  containers?: (o: KubeObject) => unknown;
  /** Defaults to `formatLabelSelector(spec.selector)`. */
  selector?: (o: KubeObject) => string;
}

/**
 * Name, the kind's own columns, Age, then the wide Containers, Images and
 * (when described) Selector columns of a kind with a pod template.
 */
export function podTemplateTable(
  columns: TableColumnDefinition[],
  cells: Cells,
  {
    selectorDescription,
    containers = templateContainers,
    selector = o => formatLabelSelector(at(o, 'spec', 'selector')),
  }: PodTemplateTableOptions,
): TableConvertor {
  const selectorColumns =
    selectorDescription === undefined
      ? []
      : [column('Selector', 'string', selectorDescription, { priority: 1 })];
  return {
    columns: [
      nameColumn(),
      ...columns,
      ageColumn(),
      CONTAINERS_COLUMN,
      IMAGES_COLUMN,
      ...selectorColumns,
    ],
    row(o, now) {
      const [names, images] = containerCells(containers(o));
      return {
        cells: [
          o.metadata.name ?? '',
          ...cells(o, now),
          objectAge(o, now),
          names,
          images,
          ...(selectorDescription === undefined ? [] : [selector(o)]),
        ],
      };
    },
  };
}
