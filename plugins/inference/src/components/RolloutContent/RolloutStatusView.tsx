import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import type {
  RolloutPhase,
  RolloutStatus,
  RolloutVersion,
  RolloutVersionUsage,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { CompactTable } from '../CompactTable';
import { PHASE_LABELS, percent } from './rolloutRules';

export function PhaseLabel(props: { phase: RolloutPhase }) {
  const label = PHASE_LABELS[props.phase];
  switch (props.phase) {
    case 'stable':
      return <StatusOK>{label}</StatusOK>;
    case 'progressing':
      return <StatusPending>{label}</StatusPending>;
    case 'canary':
      return <StatusRunning>{label}</StatusRunning>;
    case 'failed':
      return <StatusError>{label}</StatusError>;
    default:
      return <StatusWarning>{label}</StatusWarning>;
  }
}

interface Row {
  role: string;
  version: RolloutVersion;
}

/** The versions that can take traffic: the stable one, and the new one while there is one. */
function rowsOf(status: RolloutStatus): Row[] {
  const rows: Row[] = [];
  if (status.stable) {
    rows.push({
      role: status.candidate ? 'Stable' : 'Current',
      version: status.stable,
    });
  }
  if (status.candidate) rows.push({ role: 'New', version: status.candidate });
  return rows;
}

function ReadyCell(props: { version: RolloutVersion; phase: RolloutPhase }) {
  const { version, phase } = props;
  if (version.ready) return <StatusOK>Ready</StatusOK>;
  if (phase === 'progressing') return <StatusPending>Starting</StatusPending>;
  return <StatusError>Not ready</StatusError>;
}

/** Each version's share of the traffic as one bar (the table below says the same in words). */
function SplitBar(props: { rows: Row[] }) {
  const theme = useTheme();
  const colors = [theme.palette.primary.main, theme.palette.secondary.main];
  const shares = props.rows.filter(r => r.version.percent > 0);
  if (shares.length === 0) return null;
  return (
    <Box
      display="flex"
      height={28}
      borderRadius={4}
      overflow="hidden"
      mb={2}
      role="img"
      aria-label={`Traffic: ${shares
        .map(r => `${r.version.revision} ${percent(r.version.percent)}`)
        .join(', ')}`}
    >
      {shares.map((r, i) => (
        <Box
          key={r.version.revision}
          width={`${r.version.percent}%`}
          bgcolor={colors[i % colors.length]}
          color={theme.palette.common.white}
          display="flex"
          alignItems="center"
          justifyContent="center"
          overflow="hidden"
          whiteSpace="nowrap"
        >
          <Typography variant="caption">
            {r.role} {percent(r.version.percent)}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

const WINDOW_WORDS: Record<RolloutVersionUsage['window'], string> = {
  '1m': 'minute',
  '5m': '5 minutes',
  '15m': '15 minutes',
};

const ms = (value: number | null) => (value === null ? '–' : `${value} ms`);

/** A version's figures as table cells: requests, error rate, p50 / p95 ("–" without requests). */
function UsageCells(props: { usage?: RolloutVersionUsage }) {
  const { usage } = props;
  if (!usage) {
    return (
      <>
        <TableCell>–</TableCell>
        <TableCell>–</TableCell>
        <TableCell>–</TableCell>
      </>
    );
  }
  return (
    <>
      <TableCell>{usage.requests}</TableCell>
      <TableCell>
        {usage.errorRatePercent === null ? (
          '–'
        ) : (
          <Typography
            variant="body2"
            component="span"
            color={usage.errors > 0 ? 'error' : 'inherit'}
          >
            {percent(usage.errorRatePercent)}
          </Typography>
        )}
      </TableCell>
      <TableCell>
        {ms(usage.latencyMs.p50)} / {ms(usage.latencyMs.p95)}
      </TableCell>
    </>
  );
}

/**
 * What the view says about the figures and the automatic roll back, each on a quiet line: their
 * window and freshness, why they are missing, the roll back asked for, and one that happened.
 */
function UsageNotes(props: { status: RolloutStatus; withFigures: boolean }) {
  const { status, withFigures } = props;
  const { autoRollback, automaticRollback, usageUnavailable } = status;
  const window = [status.stable, status.candidate].find(v => v?.usage)?.usage
    ?.window;
  return (
    <Box mt={1} display="flex" flexDirection="column" gridGap={4}>
      {withFigures && window && (
        <Typography variant="caption" color="textSecondary">
          Requests, error rate (5xx) and latency over the last{' '}
          {WINDOW_WORDS[window]}, as fresh as Prometheus&apos; last scrape.
        </Typography>
      )}
      {usageUnavailable && (
        <Typography
          variant="caption"
          color={
            usageUnavailable.code === 'notConfigured'
              ? 'textSecondary'
              : 'error'
          }
          role="note"
          aria-label="Figures"
        >
          {usageUnavailable.code === 'notConfigured'
            ? 'No figures per version: usage is not configured for the portal.'
            : `No figures per version right now: ${usageUnavailable.message}`}
        </Typography>
      )}
      {autoRollback && (
        <Typography
          variant="body2"
          role="note"
          aria-label="Automatic roll back"
        >
          Rolls back automatically if more than{' '}
          {percent(autoRollback.errorRatePercent)} of the new version&apos;s
          requests fail over the last {WINDOW_WORDS[autoRollback.window]}, once
          it has had at least {autoRollback.minRequests} requests there.
        </Typography>
      )}
      {automaticRollback && (
        <Typography
          variant="body2"
          color="error"
          role="note"
          aria-label="Rolled back automatically"
        >
          Rolled back automatically by the portal at{' '}
          {new Date(automaticRollback.at).toLocaleString()}:{' '}
          {automaticRollback.reason.replace(/^rolled back automatically: /, '')}
        </Typography>
      )}
    </Box>
  );
}

/**
 * The live split of a Knative-mode model: the phase, the explanation, and per version its
 * revision, share, readiness, its figures when usage is configured, and (when not Ready) the
 * cluster's reason and message; then the automatic roll back asked for or done.
 */
export function RolloutStatusView(props: { status: RolloutStatus }) {
  const { status } = props;
  const rows = rowsOf(status);
  const withFigures = rows.some(r => r.version.usage);
  // The spec asks for another share than the cluster reports yet (Knative is moving traffic).
  const moving =
    status.candidate?.ready === true &&
    status.canaryTrafficPercent !== undefined &&
    status.candidate.percent !== status.canaryTrafficPercent;
  return (
    <Box>
      <Box
        display="flex"
        alignItems="center"
        gridGap={12}
        mb={1}
        role="status"
        aria-label="Rollout phase"
      >
        <PhaseLabel phase={status.phase} />
        {moving && (
          <Typography variant="body2" color="textSecondary">
            Moving the new version to {percent(status.canaryTrafficPercent!)}
          </Typography>
        )}
      </Box>
      <Typography variant="body2" paragraph>
        {status.explanation}
      </Typography>
      <SplitBar rows={rows} />
      {rows.length > 0 && (
        <CompactTable
          label="Versions"
          headers={[
            'Version',
            'Revision',
            'Traffic',
            'Ready',
            ...(withFigures ? ['Requests', 'Errors', 'Latency p50 / p95'] : []),
            'Details',
          ]}
        >
          {rows.map(({ role, version }) => (
            <TableRow key={version.revision}>
              <TableCell>{role}</TableCell>
              <TableCell>
                <code>{version.revision}</code>
              </TableCell>
              <TableCell>{percent(version.percent)}</TableCell>
              <TableCell>
                <ReadyCell version={version} phase={status.phase} />
              </TableCell>
              {withFigures && <UsageCells usage={version.usage} />}
              <TableCell>
                {version.reason || version.message ? (
                  <Typography variant="body2" color="error">
                    {[version.reason, version.message]
                      .filter(Boolean)
                      .join(': ')}
                  </Typography>
                ) : (
                  version.storageUri && <code>{version.storageUri}</code>
                )}
              </TableCell>
            </TableRow>
          ))}
        </CompactTable>
      )}
      <UsageNotes status={status} withFigures={withFigures} />
    </Box>
  );
}
