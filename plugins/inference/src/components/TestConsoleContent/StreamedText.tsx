import { useMemo } from 'react';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { assembleStreamedText } from './assembleStreamedText';

/** The text of a streamed answer, assembled from the chunks received so far. */
export function StreamedText(props: {
  chunks: readonly string[];
  streaming: boolean;
}) {
  const { chunks, streaming } = props;
  const text = useMemo(() => assembleStreamedText(chunks), [chunks]);
  return (
    <Paper variant="outlined" style={{ padding: 12 }}>
      <Typography variant="subtitle2" gutterBottom>
        Streamed answer ({chunks.length} events{streaming ? ', receiving…' : ''}
        )
      </Typography>
      <Typography
        component="div"
        aria-label="Streamed answer"
        aria-live="polite"
        style={{ whiteSpace: 'pre-wrap' }}
      >
        {text || (streaming ? '' : '(the stream carried no text)')}
      </Typography>
    </Paper>
  );
}
