import Box from '@material-ui/core/Box';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { KeyUsage } from '@inference-in-a-box/backstage-plugin-inference-common';
import { errorCount, formatCount, idTail } from '../../usage/formatUsage';
import { CompactTable } from '../CompactTable';
import { HeadroomBar } from './HeadroomBar';

/** A key's name, or what is left of a key that has since been revoked (rows: `Key <label>`). */
export const keyLabel = (key: KeyUsage) =>
  key.name ?? `revoked …${idTail(key.keyId)}`;

/**
 * Per key: requests answered 2xx or not, 429s (unless the metrics cannot tell them per key: then
 * `n/a` with the reason), tokens (OpenAI-compatible models) and, for each of the publication's
 * limits, how much of the current window the key has used. Rows are named `Key <name>`.
 */
export function KeyUsageTable(props: {
  keys: KeyUsage[];
  tokens: boolean;
  /** Why 429s cannot be counted per key, if they cannot. */
  rateLimitedUnavailable?: string;
}) {
  const { keys, tokens, rateLimitedUnavailable } = props;
  return (
    <>
      <CompactTable
        label="Usage per key"
        headers={[
          'Key',
          'Requests',
          '2xx',
          'Errors',
          '429',
          ...(tokens ? ['Tokens in', 'Tokens out', 'Tokens total'] : []),
          'Headroom (current window)',
        ]}
      >
        {keys.map(key => (
          <TableRow key={key.keyId} aria-label={`Key ${keyLabel(key)}`}>
            <TableCell>
              {key.name ? (
                <Typography variant="body2">{key.name}</Typography>
              ) : (
                <Typography variant="body2" color="textSecondary">
                  <em>Revoked key</em>
                </Typography>
              )}
              <Typography
                variant="caption"
                color="textSecondary"
                aria-label={`Key id ending in ${idTail(key.keyId)}`}
              >
                id …{idTail(key.keyId)}
              </Typography>
            </TableCell>
            <TableCell>{formatCount(key.requests.total)}</TableCell>
            <TableCell>
              {formatCount(key.requests.byStatusClass['2xx'] ?? 0)}
            </TableCell>
            <TableCell>
              {formatCount(errorCount(key.requests.byStatusClass))}
            </TableCell>
            <TableCell title={rateLimitedUnavailable}>
              {rateLimitedUnavailable
                ? 'n/a'
                : formatCount(key.requests.rateLimited)}
            </TableCell>
            {tokens && (
              <>
                <TableCell>{formatCount(key.tokens?.input ?? 0)}</TableCell>
                <TableCell>{formatCount(key.tokens?.output ?? 0)}</TableCell>
                <TableCell>{formatCount(key.tokens?.total ?? 0)}</TableCell>
              </>
            )}
            <TableCell>
              {key.headroom.length === 0 ? (
                <Typography variant="body2" color="textSecondary">
                  {key.name ? 'No limits' : ''}
                </Typography>
              ) : (
                <Box>
                  {key.headroom.map(h => (
                    <HeadroomBar
                      key={h.limit}
                      keyLabel={keyLabel(key)}
                      headroom={h}
                    />
                  ))}
                </Box>
              )}
            </TableCell>
          </TableRow>
        ))}
      </CompactTable>
      {rateLimitedUnavailable && (
        <Box mt={1}>
          <Typography variant="caption" color="textSecondary">
            429 per key n/a: {rateLimitedUnavailable}. The model's 429s are in
            the summary.
          </Typography>
        </Box>
      )}
    </>
  );
}
