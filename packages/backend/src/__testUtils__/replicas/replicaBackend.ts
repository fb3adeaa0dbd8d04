// One portal backend replica as a separate OS process, for the multi-replica tests
// (../../replicas/). Started by ./startReplicas.ts as
//   node -r @backstage/cli/config/nodeTransform.cjs replicaBackend.ts --config <file>
// with the working directory packages/backend (as `yarn start` runs the backend, so the catalog
// file locations and trusted tenant locations resolve as in development).
//
// The portal's own pieces (../../index.ts), minus what the tests do not need: the auth plugin with
// the development sign-in (../../auth), the catalog with the inference entity provider, the
// permission backend with the portal's policy module, and the inference plugin. The database is
// PostgreSQL, shared with the other replicas. The only addition is a metrics service that prints
// the scheduler's own run counter (./taskRunMetrics.ts), so the tests can count scheduled runs.
import { createBackend } from '@backstage/backend-defaults';
import { authFeatures } from '../../auth';
import { taskRunMetricsFactory } from './taskRunMetrics';

const backend = createBackend();

for (const feature of authFeatures) {
  backend.add(feature);
}
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import(
    '@inference-in-a-box/backstage-plugin-catalog-backend-module-inference'
  ),
);
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('../../permissions/policyModule'));
backend.add(import('@inference-in-a-box/backstage-plugin-inference-backend'));
backend.add(taskRunMetricsFactory);

backend.start().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
