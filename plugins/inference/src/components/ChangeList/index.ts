export { ChangeList, CHANGE_LABELS, objectName } from './ChangeList';
