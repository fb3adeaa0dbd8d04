import type { ReactNode } from 'react';
import {
  InfoCard,
  StatusError,
  StatusOK,
  StatusWarning,
  StructuredMetadataTable,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import type {
  ClusterOverview,
  PlatformApiGroup,
  PlatformTenantCounts,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { CompactTable } from '../CompactTable';
import { ConditionsTable } from '../ConditionsTable';

function Section(props: { title: string; children: ReactNode }) {
  return (
    <Box mt={3}>
      <Typography variant="h6" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

function ApiGroupsTable(props: { groups: PlatformApiGroup[] }) {
  return (
    <CompactTable
      label="Platform API groups"
      headers={['API group', 'Installed', 'Versions', 'Preferred version']}
    >
      {props.groups.map(g => (
        <TableRow key={g.group}>
          <TableCell>{g.group}</TableCell>
          <TableCell>
            {g.installed ? (
              <StatusOK>Yes</StatusOK>
            ) : (
              <StatusWarning>No</StatusWarning>
            )}
          </TableCell>
          <TableCell>{g.versions.join(', ')}</TableCell>
          <TableCell>{g.preferredVersion ?? ''}</TableCell>
        </TableRow>
      ))}
    </CompactTable>
  );
}

/** The counts are only known while the cluster answers; the backend reports 0 when it does not. */
function TenantsTable(props: {
  tenants: PlatformTenantCounts[];
  known: boolean;
}) {
  const { tenants, known } = props;
  if (tenants.length === 0) {
    return (
      <Typography color="textSecondary">
        No tenant has its namespace on this cluster.
      </Typography>
    );
  }
  const count = (value: number) => (known ? value : '?');
  return (
    <CompactTable
      label="Tenants"
      headers={['Tenant', 'Namespace', 'Models', 'Publications']}
    >
      {tenants.map(t => (
        <TableRow key={t.tenant}>
          <TableCell>{t.tenant}</TableCell>
          <TableCell>{t.namespace}</TableCell>
          <TableCell>{count(t.models)}</TableCell>
          <TableCell>{count(t.publications)}</TableCell>
        </TableRow>
      ))}
    </CompactTable>
  );
}

/** One configured cluster of the platform overview. */
export function ClusterCard(props: { overview: ClusterOverview }) {
  const { cluster, reachable, error, apiGroups, gateway, tenants } =
    props.overview;
  const gatewayRef = `${gateway.namespace}/${gateway.name}`;
  return (
    <section aria-label={`Cluster ${cluster}`}>
      <InfoCard title={`Cluster ${cluster}`}>
        <StructuredMetadataTable
          metadata={{
            Status: reachable ? (
              <StatusOK>Reachable</StatusOK>
            ) : (
              <StatusError>Unreachable</StatusError>
            ),
            Gateway: reachable ? (
              <>
                {gatewayRef}:{' '}
                {gateway.found ? (
                  <StatusOK>Found</StatusOK>
                ) : (
                  <StatusError>Not found</StatusError>
                )}
              </>
            ) : (
              `${gatewayRef}: unknown`
            ),
          }}
        />
        {reachable ? (
          <>
            <Section title="Platform API groups">
              <ApiGroupsTable groups={apiGroups} />
            </Section>
            {gateway.found && (
              <Section title="Gateway conditions">
                <ConditionsTable conditions={gateway.conditions} />
              </Section>
            )}
          </>
        ) : (
          <Box mt={2}>
            <Alert severity="error">
              The cluster did not answer: {error ?? 'no reason given'}
            </Alert>
          </Box>
        )}
        <Section title="Tenants">
          <TenantsTable tenants={tenants} known={reachable} />
        </Section>
      </InfoCard>
    </section>
  );
}
