export { ActionDialog } from './ActionDialog';
export type { DialogButton, DialogMainButton } from './ActionDialog';
export { DialogSteps, reviewButton } from './DialogSteps';
export { useDialogAction } from './useDialogAction';
export type { DialogAction } from './useDialogAction';
