import type {
  ApiKeyInfo,
  ModelLocator,
} from '@inference-in-a-box/backstage-plugin-inference-common';

/** What every key dialog is given: the model whose keys it changes, and whom to tell. */
export interface KeyDialogProps {
  locator: ModelLocator;
  /** The keys changed: reload them. A dialog revealing a new key stays open meanwhile. */
  onChanged: () => void;
  onClose: () => void;
}

/** The rotate and revoke dialogs act on one existing key. */
export interface ExistingKeyDialogProps extends KeyDialogProps {
  apiKey: ApiKeyInfo;
}
