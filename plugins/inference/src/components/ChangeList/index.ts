export {
  ChangeList,
  CHANGE_LABELS,
  objectName,
  PREVIEW_LABELS,
} from './ChangeList';
