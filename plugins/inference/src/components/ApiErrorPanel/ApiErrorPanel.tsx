import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { Alert, AlertTitle } from '@material-ui/lab';
import { describeError } from './describeError';

/**
 * Shows a failed call with the backend's own message, every field it names and the cluster's
 * causes. Forms pass the fields they show next to their inputs in `shownFields`, so those are not
 * repeated here. Views whose data failed to load pass `onRetry` for a Retry button under it.
 */
export function ApiErrorPanel(props: {
  error: unknown;
  title?: string;
  knownFields?: readonly string[];
  shownFields?: readonly string[];
  onRetry?: () => void;
}) {
  const { error, title, knownFields, shownFields = [], onRetry } = props;
  const description = describeError(error, knownFields);
  const fields = description.fields.filter(f => !shownFields.includes(f.field));
  const alert = (
    <Alert severity="error" role="alert">
      <AlertTitle>
        {title ?? 'Request failed'}
        {description.status ? ` (${description.status})` : ''}
      </AlertTitle>
      {description.message && (
        <Typography variant="body2">{description.message}</Typography>
      )}
      {fields.length > 0 && (
        <ul aria-label="Invalid fields">
          {fields.map(f => (
            <li key={`${f.field}:${f.message}`}>
              <Typography variant="body2">
                <code>{f.field || '(request)'}</code>: {f.message}
              </Typography>
            </li>
          ))}
        </ul>
      )}
      {description.causes.length > 0 && (
        <ul aria-label="Causes reported by the cluster">
          {description.causes.map((c, i) => (
            <li key={i}>
              <Typography variant="body2">
                {c.field && <code>{c.field}</code>}
                {c.field ? ': ' : ''}
                {c.message ?? c.reason}
              </Typography>
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
  if (!onRetry) return alert;
  return (
    <>
      {alert}
      <Button onClick={onRetry}>Retry</Button>
    </>
  );
}
