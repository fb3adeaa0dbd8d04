import Box from '@material-ui/core/Box';
import { ApiErrorPanel } from './ApiErrorPanel';
import { describeError, hasUnshownDetails } from './describeError';

/**
 * A form's error panel, above its fields: shows only what the fields do not already show at their
 * inputs (`shownFields`), and nothing when that is all the error says.
 */
export function FormErrorPanel(props: {
  error: unknown;
  title: string;
  knownFields: readonly string[];
  shownFields: readonly string[];
}) {
  const { error, title, knownFields, shownFields } = props;
  if (!hasUnshownDetails(describeError(error, knownFields), shownFields)) {
    return null;
  }
  return (
    <Box mb={2}>
      <ApiErrorPanel
        error={error}
        title={title}
        knownFields={knownFields}
        shownFields={shownFields}
      />
    </Box>
  );
}
