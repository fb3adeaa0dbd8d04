import { ConflictError } from '@backstage/errors';
import type {
  ModelLocator,
  ModelSpec,
  RolloutOperation,
  RolloutResult,
  RolloutStatus,
  Tenant,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type {
  ClusterClient,
  KubeObject,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { buildInferenceService } from '../models/buildInferenceService';
import { readModelSpec } from '../models/readModelSpec';
import type { InferenceServiceObject } from '../models/types';
import { planChanges } from '../publication/planChanges';
import {
  autoRollbackAnnotation,
  rawAutoRollback,
  withAutoRollback,
} from './autoRollback';
import { knativeRolloutStatus } from './rolloutStatus';

function refuse(message: string): never {
  throw new ConflictError(message);
}

function requireCandidate(status: RolloutStatus, operation: string) {
  if (!status.candidate) {
    refuse(
      `There is no new version of '${status.model.name}' to ${operation}: ${status.explanation}`,
    );
  }
  return status.candidate;
}

function requireReadyCandidate(status: RolloutStatus, operation: string) {
  const candidate = requireCandidate(status, operation);
  if (!candidate.ready) {
    refuse(
      `The new version ${candidate.revision} is not Ready, so it cannot ${operation}: ${status.explanation}`,
    );
  }
}

/**
 * The spec an operation asks for, once the rollout's state allows it. KServe v0.20.0 does the rest
 * with `canaryTrafficPercent` (pkg/controller/v1beta1/inferenceservice/reconcilers/knative/
 * ksvc_reconciler.go): the newest revision gets that share once Ready and the last fully
 * rolled-out one the rest; unset, the newest gets all; 0 pins all traffic to the previous one.
 */
function nextSpec(
  status: RolloutStatus,
  operation: RolloutOperation,
  current: ModelSpec,
): Record<string, unknown> {
  switch (operation.action) {
    case 'start': {
      if (!status.stable) refuse(status.explanation);
      if (status.phase === 'progressing') {
        refuse(
          `A change of '${status.model.name}' is still in progress: ${status.explanation}`,
        );
      }
      const {
        canaryTrafficPercent,
        autoRollback: _onTheObject,
        ...version
      } = operation.version;
      return { ...current, ...version, canaryTrafficPercent };
    }
    case 'traffic':
      requireReadyCandidate(status, 'take traffic');
      return {
        ...current,
        canaryTrafficPercent: operation.canaryTrafficPercent,
      };
    case 'promote': {
      requireReadyCandidate(status, 'be promoted');
      const { canaryTrafficPercent: _all, ...promoted } = current;
      return promoted;
    }
    default:
      requireCandidate(status, 'roll back');
      if (status.phase === 'rolledBack') {
        refuse(`'${status.model.name}' is already rolled back`);
      }
      return { ...current, canaryTrafficPercent: 0 };
  }
}

/**
 * The automatic roll back's annotation after an operation: set (or cleared) by a start, kept by a
 * share change, gone with the rollout once it is promoted or rolled back.
 */
function autoRollbackAfter(
  operation: RolloutOperation,
  stored: string | undefined,
): string | undefined {
  switch (operation.action) {
    case 'start':
      return operation.version.autoRollback
        ? autoRollbackAnnotation(operation.version.autoRollback)
        : undefined;
    case 'traffic':
      return stored;
    default:
      return undefined;
  }
}

/**
 * A rollout operation on a Knative-mode model: one new spec for its InferenceService, planned
 * with a server-side dry run (`dryRun` answers the plan) and then applied.
 */
export async function knativeOperation(options: {
  cluster: ClusterClient;
  tenant: Tenant;
  model: ModelLocator;
  isvc: InferenceServiceObject;
  operation: RolloutOperation;
  parse: (spec: Record<string, unknown>) => ModelSpec;
  dryRun: boolean;
}): Promise<RolloutResult> {
  const { cluster, tenant, model, isvc } = options;
  const before = knativeRolloutStatus(model, isvc);
  const stored = rawAutoRollback(isvc);
  const current = readModelSpec(isvc, tenant.name, cluster.fieldManager, {
    rebuild: spec =>
      withAutoRollback(
        buildInferenceService(tenant.namespace, spec, { tenant: tenant.name }),
        stored,
      ),
  });
  if (!current.ok) {
    refuse(
      `'${model.name}' cannot be rolled out from the portal: ${current.problem}`,
    );
  }
  const spec = options.parse(nextSpec(before, options.operation, current.spec));
  const manifest = withAutoRollback(
    buildInferenceService(tenant.namespace, spec, { tenant: tenant.name }),
    autoRollbackAfter(options.operation, stored),
  );
  const projected = await cluster.apply(manifest, { dryRun: true });
  const changes = planChanges(
    [isvc as KubeObject],
    [projected as KubeObject],
  ).filter(c => c.action !== 'unchanged');
  if (options.dryRun) return { dryRun: true, changes, rollout: before };
  const applied = await cluster.apply(manifest);
  return {
    dryRun: false,
    changes,
    rollout: knativeRolloutStatus(model, applied),
  };
}
