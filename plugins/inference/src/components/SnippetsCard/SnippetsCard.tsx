import { useMemo, useState } from 'react';
import { CodeSnippet, InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import type { PublicationSummary } from '@inference-in-a-box/backstage-plugin-inference-common';
import { CopyButton } from '../CopyButton';
import { API_KEY_VARIABLE, buildSnippets, JWT_VARIABLE } from './buildSnippets';

/** Copy-paste examples of calling the published endpoint, one tab per language and client. */
export function SnippetsCard(props: { publication: PublicationSummary }) {
  const { publication } = props;
  const snippets = useMemo(() => buildSnippets(publication), [publication]);
  const [selected, setSelected] = useState(0);
  const snippet = snippets[Math.min(selected, snippets.length - 1)];
  return (
    <InfoCard title="Call the endpoint">
      <Typography variant="body2" paragraph>
        Set <code>{API_KEY_VARIABLE}</code> to one of this publication's API
        keys
        {publication.auth.jwt && (
          <>
            {' '}
            and <code>{JWT_VARIABLE}</code> to a token from the platform's JWT
            issuer
          </>
        )}
        ; the snippets then work as written.
        {publication.modelType === 'predictive' &&
          " The body is the iris sample: replace it with your model's input."}
      </Typography>
      <Tabs
        value={selected}
        onChange={(_, index) => setSelected(index)}
        variant="scrollable"
        aria-label="Snippet language"
      >
        {snippets.map(s => (
          <Tab key={s.id} label={s.label} />
        ))}
      </Tabs>
      <Box mt={1}>
        <CodeSnippet text={snippet.code} language={snippet.language} />
        <Box mt={1}>
          <CopyButton
            text={snippet.code}
            label={`Copy ${snippet.label} snippet`}
          />
        </Box>
      </Box>
    </InfoCard>
  );
}
