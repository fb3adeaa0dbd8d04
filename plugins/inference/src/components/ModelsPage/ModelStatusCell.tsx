import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { MODEL_ROW_STATUS_LABELS, type ModelRow } from './modelRows';

/** The status column: a coloured status word, with the failing condition's reason when there is one. */
export function ModelStatusCell(props: { row: ModelRow }) {
  const { status, statusReason } = props.row;
  const label = MODEL_ROW_STATUS_LABELS[status];
  const text = statusReason ? `${label} (${statusReason})` : label;
  switch (status) {
    case 'ready':
      return <StatusOK>{text}</StatusOK>;
    case 'not-ready':
      return <StatusError>{text}</StatusError>;
    case 'not-deployed':
      return <StatusWarning>{text}</StatusWarning>;
    default:
      return <StatusPending>{text}</StatusPending>;
  }
}
