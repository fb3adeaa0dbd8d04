import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { PlannedChange } from '@inference-in-a-box/backstage-plugin-inference-common';
import { ChangeList, PREVIEW_LABELS } from '../ChangeList';

/** `2 to create, 1 to change, 0 to delete, 3 unchanged` */
export function summarizeChanges(changes: PlannedChange[]): string {
  const count = (action: PlannedChange['action']) =>
    changes.filter(c => c.action === action).length;
  return `${count('create')} to create, ${count('update')} to change, ${count(
    'delete',
  )} to delete, ${count('unchanged')} unchanged`;
}

/** The dry run's result: every object the publish would touch, and how. */
export function ReviewStep(props: { changes: PlannedChange[] }) {
  const { changes } = props;
  const nothingToDo = changes.every(c => c.action === 'unchanged');
  return (
    <Box>
      <Typography variant="body2" paragraph>
        The cluster checked these objects without applying them (dry run):{' '}
        {summarizeChanges(changes)}.
        {nothingToDo && ' Applying changes nothing.'}
      </Typography>
      <ChangeList changes={changes} labels={PREVIEW_LABELS} />
    </Box>
  );
}
