import { InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { ModelPermission } from '../../hooks/useModelPermission';
import { PermittedButton } from '../PermittedButton';

export function NotPublishedCard(props: {
  permission: ModelPermission;
  onPublish: () => void;
}) {
  return (
    <InfoCard title="Endpoint">
      <Typography paragraph>
        This model is not published. Publishing gives it a public endpoint on
        the platform gateway, protected by API keys and rate limits.
      </Typography>
      <PermittedButton
        permission={props.permission}
        color="primary"
        variant="contained"
        onClick={props.onPublish}
      >
        Publish
      </PermittedButton>
    </InfoCard>
  );
}
