export { ActionDialog } from './ActionDialog';
export type { DialogButton, DialogMainButton } from './ActionDialog';
export { useDialogAction } from './useDialogAction';
export type { DialogAction } from './useDialogAction';
