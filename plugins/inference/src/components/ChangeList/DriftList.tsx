import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import type { DriftedObject } from '@inference-in-a-box/backstage-plugin-inference-common';
import { objectName } from './ChangeList';
import { FieldChangesTable } from './FieldChangesTable';

/** How an object differs from what the portal published. */
export const DRIFT_LABELS: Record<DriftedObject['change'], string> = {
  missing: 'Missing',
  extra: 'Extra',
  changed: 'Changed',
};

/** What a reconcile does about each kind of drift (its confirmation dialog). */
export const RECONCILE_LABELS: Record<DriftedObject['change'], string> = {
  missing: 'Will be recreated',
  extra: 'Will be deleted',
  changed: 'Will be changed back',
};

const DRIFT_EXPLANATIONS: Record<DriftedObject['change'], string> = {
  missing: 'deleted outside the portal',
  extra: 'carries the publication’s labels but is not part of it',
  changed: 'fields the portal published were changed',
};

/**
 * The objects of a publication that differ from what the portal published: per object its kind and
 * name, how it differs and, per field, the published and the live value and the field manager
 * that changed it. `labels` lets the reconcile dialog say what will be done instead.
 */
export function DriftList(props: {
  objects: DriftedObject[];
  labels?: Record<DriftedObject['change'], string>;
  /** The accessible name of the list. */
  label?: string;
}) {
  const { objects, labels = DRIFT_LABELS, label = 'Drifted objects' } = props;
  return (
    <List dense aria-label={label} disablePadding>
      {objects.map(object => {
        const others = object.managers.filter(
          m => !object.fields.some(f => f.manager === m),
        );
        return (
          <ListItem
            key={`${object.apiVersion}/${object.kind}/${object.namespace}/${object.name}`}
            divider
            disableGutters
            aria-label={`${objectName(object)}: ${labels[object.change]}`}
          >
            <Box width="100%">
              <Box
                display="flex"
                alignItems="center"
                gridGap={8}
                flexWrap="wrap"
              >
                <Chip
                  size="small"
                  label={labels[object.change]}
                  color={object.change === 'changed' ? 'primary' : 'secondary'}
                />
                {object.weakensGuard && (
                  <Chip
                    size="small"
                    label="Weakens a guard"
                    color="secondary"
                  />
                )}
                <Typography variant="body2">
                  <strong>{object.kind}</strong> {object.namespace}/
                  {object.name}
                </Typography>
                <Typography variant="caption" color="textSecondary">
                  {DRIFT_EXPLANATIONS[object.change]}
                </Typography>
              </Box>
              {object.fields.length > 0 && (
                <FieldChangesTable
                  label={`Drifted fields of ${object.kind} ${object.name}`}
                  fields={object.fields}
                  before="Published"
                  after="Live"
                  showManager
                />
              )}
              {others.length > 0 && (
                <Typography variant="caption" color="textSecondary">
                  Also written by: {others.join(', ')}
                </Typography>
              )}
            </Box>
          </ListItem>
        );
      })}
    </List>
  );
}
