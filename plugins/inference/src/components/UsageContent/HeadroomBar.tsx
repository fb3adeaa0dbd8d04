import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { LimitHeadroom } from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  formatCount,
  formatDuration,
  headroomLevel,
  headroomPercent,
  LIMIT_LABELS,
} from '../../usage/formatUsage';

const useStyles = makeStyles(theme => ({
  root: { height: 8, borderRadius: 4 },
  ok: { backgroundColor: theme.palette.success.main },
  near: { backgroundColor: theme.palette.warning.main },
  exhausted: { backgroundColor: theme.palette.error.main },
}));

/**
 * How much of one of a key's limits its current window has used: a bar (green, amber from 80 %,
 * red at the limit) with `used / max` and the percentage. The bar is a progressbar named after the
 * key and the limit, its value the percentage (capped at 100; the text shows more).
 */
export function HeadroomBar(props: {
  keyLabel: string;
  headroom: LimitHeadroom;
}) {
  const { keyLabel, headroom } = props;
  const classes = useStyles();
  const percent = headroomPercent(headroom);
  const level = headroomLevel(headroom);
  const label = LIMIT_LABELS[headroom.limit];
  const text = `${formatCount(headroom.used)} / ${formatCount(
    headroom.max,
  )} (${percent}%)`;
  return (
    <Box minWidth={180} mb={0.5}>
      <Box display="flex" justifyContent="space-between" gridGap={8}>
        <Typography variant="caption">{label}</Typography>
        <Typography
          variant="caption"
          color={level === 'exhausted' ? 'error' : undefined}
        >
          {text}
          {level === 'exhausted' ? ', limit reached' : ''}
        </Typography>
      </Box>
      <LinearProgress
        variant="determinate"
        value={Math.min(percent, 100)}
        aria-label={`${keyLabel}: ${label}`}
        aria-valuetext={`${text} used in the current ${formatDuration(
          headroom.windowSeconds,
        )} window`}
        data-level={level}
        classes={{ root: classes.root, bar: classes[level] }}
      />
    </Box>
  );
}
