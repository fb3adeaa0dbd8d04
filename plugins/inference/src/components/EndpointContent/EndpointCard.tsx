import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { PublicationSummary } from '@inference-in-a-box/backstage-plugin-inference-common';
import { CopyButton } from '../CopyButton';
import { formatLimits, PublicationStateLabel } from '../PublicationsPage';

/** The published endpoint: its URL (as text, with a copy button) and what the gateway enforces. */
export function EndpointCard(props: {
  publication: PublicationSummary;
  actions: React.ReactNode;
}) {
  const { publication, actions } = props;
  return (
    <InfoCard title="Endpoint">
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        gridGap={12}
        mb={2}
      >
        <Typography
          variant="h6"
          component="p"
          aria-label="Endpoint URL"
          style={{ wordBreak: 'break-all' }}
        >
          {publication.endpoint}
        </Typography>
        <CopyButton text={publication.endpoint} label="Copy endpoint URL" />
      </Box>
      <StructuredMetadataTable
        metadata={{
          State: <PublicationStateLabel publication={publication} />,
          'Public model name': publication.publicModelName,
          Hostname: publication.hostname,
          Type:
            publication.modelType === 'openai'
              ? 'OpenAI-compatible'
              : 'Predictive (KServe v1/v2)',
          Authentication: publication.auth.jwt ? 'API key and JWT' : 'API key',
          'Rate limits (per key)': formatLimits(publication.limits),
          ...(publication.updatedAt
            ? { Updated: new Date(publication.updatedAt).toLocaleString() }
            : {}),
        }}
      />
      <Box display="flex" gridGap={12} mt={2} flexWrap="wrap">
        {actions}
      </Box>
    </InfoCard>
  );
}
