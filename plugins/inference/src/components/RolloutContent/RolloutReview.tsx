import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type {
  PlannedChange,
  RolloutOperation,
  RolloutStatus,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { ReviewStep } from '../PublishDialog/ReviewStep';
import { percent } from './rolloutRules';

/** What an operation does to the traffic, in one or two plain sentences. */
export function describeOperation(
  operation: RolloutOperation,
  status: RolloutStatus,
): string {
  const stable = status.stable?.revision ?? 'the current version';
  const candidate = status.candidate?.revision ?? 'the new version';
  switch (operation.action) {
    case 'start': {
      const share = operation.version.canaryTrafficPercent;
      const auto = operation.version.autoRollback;
      return `The new version gets ${percent(
        share,
      )} of the traffic once it is Ready; ${stable} keeps ${percent(
        100 - share,
      )}.${
        auto
          ? ` It is rolled back automatically if more than ${percent(
              auto.errorRatePercent,
            )} of its requests fail (5xx) over the last ${
              auto.window
            }, once it has had at least ${auto.minRequests} requests there.`
          : ''
      }`;
    }
    case 'traffic': {
      const share = operation.canaryTrafficPercent;
      return `The new version, ${candidate}, gets ${percent(
        share,
      )} of the traffic; ${stable} gets ${percent(100 - share)}.`;
    }
    case 'promote':
      return `All traffic goes to the new version, ${candidate}. The previous version, ${stable}, gets none.`;
    default:
      return `All traffic goes back to the previous version, ${stable}. The new version, ${candidate}, gets none.`;
  }
}

/** The review step of every rollout dialog: what happens to the traffic, then the dry run's plan. */
export function RolloutReview(props: {
  operation: RolloutOperation;
  status: RolloutStatus;
  changes: PlannedChange[];
}) {
  const { operation, status, changes } = props;
  return (
    <Box>
      <Typography variant="body1" paragraph>
        {describeOperation(operation, status)}
      </Typography>
      <ReviewStep changes={changes} />
    </Box>
  );
}
