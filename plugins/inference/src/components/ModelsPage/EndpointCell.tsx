import Typography from '@material-ui/core/Typography';
import type { PublicationLookup } from '../../hooks/usePublicationsOf';

/** The endpoint column: the publication's URL once loaded; a dash for unpublished models. */
export function EndpointCell(props: {
  published: boolean;
  lookup: PublicationLookup | undefined;
}) {
  const { published, lookup } = props;
  if (!published) {
    return (
      <Typography variant="body2" color="textSecondary">
        —
      </Typography>
    );
  }
  if (!lookup || lookup.state === 'loading') {
    return (
      <Typography variant="body2" color="textSecondary">
        Loading…
      </Typography>
    );
  }
  if (lookup.state === 'failed') {
    return (
      <Typography variant="body2" color="error" title={lookup.error.message}>
        Unavailable
      </Typography>
    );
  }
  return (
    <Typography variant="body2" style={{ wordBreak: 'break-all' }}>
      {lookup.publication?.endpoint ?? '—'}
    </Typography>
  );
}
