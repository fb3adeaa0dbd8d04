export {
  ChangeList,
  CHANGE_LABELS,
  objectName,
  PREVIEW_LABELS,
} from './ChangeList';
export { DRIFT_LABELS, DriftList, RECONCILE_LABELS } from './DriftList';
