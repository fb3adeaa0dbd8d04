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

/**
 * The live split of a Knative-mode model: the phase, the explanation, and per version its
 * revision, share, readiness and (when not Ready) the cluster's reason and message.
 */
export function RolloutStatusView(props: { status: RolloutStatus }) {
  const { status } = props;
  const rows = rowsOf(status);
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
          headers={['Version', 'Revision', 'Traffic', 'Ready', 'Details']}
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
    </Box>
  );
}
