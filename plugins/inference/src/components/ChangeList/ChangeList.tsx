import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import type { PlannedChange } from '@inference-in-a-box/backstage-plugin-inference-common';
import { FieldChangesTable } from './FieldChangesTable';

/** What was done to each object. */
export const CHANGE_LABELS: Record<PlannedChange['action'], string> = {
  create: 'Created',
  update: 'Changed',
  delete: 'Deleted',
  unchanged: 'Unchanged',
};

/** What a dry run says would be done to each object (publish review, unpublish confirmation). */
export const PREVIEW_LABELS: Record<PlannedChange['action'], string> = {
  create: 'Will be created',
  update: 'Will change',
  delete: 'Will be deleted',
  unchanged: 'Unchanged',
};

const CHIP_COLOR: Record<
  PlannedChange['action'],
  'primary' | 'secondary' | 'default'
> = {
  create: 'primary',
  update: 'primary',
  delete: 'secondary',
  unchanged: 'default',
};

/** `Secret tenant-a/sklearn-iris-api-keys`, the name users see for an object everywhere. */
export const objectName = (
  c: Pick<PlannedChange, 'kind' | 'namespace' | 'name'>,
) => `${c.kind} ${c.namespace}/${c.name}`;

/**
 * What a publish or unpublish does (or did) to each object: created, which fields changed from
 * what to what, deleted, or unchanged. `labels` lets callers say "will be created" in a preview.
 * `status` renders extra state per object (the apply step's progress).
 */
export function ChangeList(props: {
  changes: PlannedChange[];
  labels?: Record<PlannedChange['action'], string>;
  status?: (change: PlannedChange) => React.ReactNode;
}) {
  const { changes, labels = CHANGE_LABELS, status } = props;
  if (changes.length === 0) {
    return (
      <Typography color="textSecondary">No objects are affected.</Typography>
    );
  }
  return (
    <List dense aria-label="Object changes">
      {changes.map(change => (
        <ListItem
          key={`${change.apiVersion}/${change.kind}/${change.namespace}/${change.name}`}
          divider
          aria-label={`${objectName(change)}: ${labels[change.action]}`}
        >
          <Box width="100%">
            <Box display="flex" alignItems="center" gridGap={8}>
              <Chip
                size="small"
                label={labels[change.action]}
                color={CHIP_COLOR[change.action]}
              />
              <Typography variant="body2">
                <strong>{change.kind}</strong> {change.namespace}/{change.name}
              </Typography>
              <Typography variant="caption" color="textSecondary">
                {change.apiVersion}
              </Typography>
              {status && <Box ml="auto">{status(change)}</Box>}
            </Box>
            {change.action !== 'unchanged' &&
              change.fieldChanges.length > 0 && (
                <FieldChangesTable
                  label={`Fields of ${change.kind} ${change.name}`}
                  fields={change.fieldChanges}
                  before={change.action === 'create' ? null : 'Before'}
                  after={change.action === 'delete' ? null : 'After'}
                />
              )}
          </Box>
        </ListItem>
      ))}
    </List>
  );
}
