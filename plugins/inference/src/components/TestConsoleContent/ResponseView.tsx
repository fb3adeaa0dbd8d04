import { StructuredMetadataTable } from '@backstage/core-components';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import Alert from '@material-ui/lab/Alert';
import type { TestInvocationResult } from '@inference-in-a-box/backstage-plugin-inference-common';
import { gatewayRefusal } from './gatewayRefusal';
import { StreamedText } from './StreamedText';

const formatBody = (body: unknown) =>
  typeof body === 'string' ? body : JSON.stringify(body, null, 2);

/**
 * The model's answer: HTTP status, latency, token usage, headers, and the body or streamed text;
 * for a call through the gateway that the gateway itself refused, what the refusal means.
 */
export function ResponseView(props: {
  result: TestInvocationResult;
  chunks: readonly string[];
  viaGateway?: boolean;
}) {
  const { result, chunks, viaGateway } = props;
  const ok = result.status >= 200 && result.status < 300;
  const streamed = result.chunks !== undefined;
  const refusal = viaGateway ? gatewayRefusal(result) : undefined;
  return (
    <Box display="flex" flexDirection="column" gridGap={12}>
      <Box display="flex" alignItems="center" gridGap={12} flexWrap="wrap">
        <Chip
          label={`HTTP ${result.status}`}
          color={ok ? 'primary' : 'secondary'}
          aria-label={`Response status ${result.status}`}
        />
        <Typography variant="body2" aria-label="Latency">
          {result.latencyMs.toLocaleString('en-US')} ms
        </Typography>
        {result.usage && (
          <Typography variant="body2">
            Tokens: {result.usage.promptTokens ?? '?'} prompt,{' '}
            {result.usage.completionTokens ?? '?'} completion,{' '}
            {result.usage.totalTokens ?? '?'} total
          </Typography>
        )}
      </Box>
      {refusal && (
        <Alert severity="warning" aria-label="Gateway refusal">
          {refusal}
        </Alert>
      )}
      {streamed && <StreamedText chunks={chunks} streaming={false} />}
      {!streamed && (
        <Box
          component="pre"
          aria-label="Response body"
          style={{ margin: 0, overflow: 'auto', maxHeight: 480, fontSize: 13 }}
        >
          {result.body === '' ? '(empty body)' : formatBody(result.body)}
        </Box>
      )}
      <Accordion>
        <AccordionSummary expandIcon={<ExpandMoreIcon />}>
          <Typography variant="body2">Response headers</Typography>
        </AccordionSummary>
        <AccordionDetails>
          <StructuredMetadataTable metadata={result.headers} />
        </AccordionDetails>
      </Accordion>
      {streamed && (
        <Accordion>
          <AccordionSummary expandIcon={<ExpandMoreIcon />}>
            <Typography variant="body2">
              Raw events ({chunks.length})
            </Typography>
          </AccordionSummary>
          <AccordionDetails>
            <Box
              component="pre"
              style={{
                margin: 0,
                overflow: 'auto',
                maxHeight: 320,
                fontSize: 12,
              }}
            >
              {chunks.join('\n')}
            </Box>
          </AccordionDetails>
        </Accordion>
      )}
    </Box>
  );
}
