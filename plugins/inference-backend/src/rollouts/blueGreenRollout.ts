import { ConflictError } from '@backstage/errors';
import type {
  AutoRollback,
  HistoryAction,
  ModelSpec,
  PlannedChange,
  RolloutResult,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ClusterRegistry,
  KINDS,
  KubeObject,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import type { InferenceServiceObject } from '../models/types';
import { buildInferenceService } from '../models/buildInferenceService';
import { readModelSpec } from '../models/readModelSpec';
import { planChanges } from '../publication/planChanges';
import type {
  LoadedModel,
  PublicationEngine,
  PublishedModel,
} from '../publication/publicationEngine';
import type { CallContext } from '../requestContext';
import {
  buildCandidate,
  candidateName,
  candidateState,
  candidateWeight,
} from './candidate';
import { autoRollbackAnnotation, rawAutoRollback } from './autoRollback';
import { blueGreenStatus } from './rolloutStatus';

function refuse(message: string): never {
  throw new ConflictError(message);
}

/** One step of an operation: what it would change (dry run) or changed. */
type Step = (dryRun: boolean) => Promise<PlannedChange[]>;

/**
 * The blue-green operations of a Standard-mode model's rollout (./candidate.ts): each is a few
 * steps on the candidate InferenceService, the model's own and the published route, run under the
 * model's lock by the caller, and recorded by the caller as one history row. The route is always
 * converged from the cluster's state (`engine.republish`), so what it says follows from the
 * candidate's readiness and annotations whoever writes them.
 */
export function createBlueGreenRollouts(deps: {
  clusters: ClusterRegistry;
  engine: Pick<PublicationEngine, 'republish'>;
}) {
  const { clusters, engine } = deps;

  const locator = (loaded: LoadedModel) => ({
    cluster: loaded.tenant.cluster,
    namespace: loaded.tenant.namespace,
    name: loaded.isvc.metadata.name,
  });

  const clusterOf = (loaded: LoadedModel) =>
    clusters.get(loaded.tenant.cluster);

  /** Applies (or dry-runs) an InferenceService; the change it makes to `before`. */
  function isvcStep(
    loaded: LoadedModel,
    before: InferenceServiceObject | undefined,
    manifest: InferenceServiceObject,
  ): Step {
    return async dryRun => {
      const projected = await clusterOf(loaded).apply(manifest, { dryRun });
      return planChanges(before ? [before as KubeObject] : [], [
        projected as KubeObject,
      ]);
    };
  }

  /** The published route as the model's state with `candidate` says (none: all to the model). */
  function routeStep(
    ctx: CallContext,
    loaded: PublishedModel,
    candidate: InferenceServiceObject | undefined,
    action: HistoryAction,
  ): Step {
    return async dryRun =>
      (
        await engine.republish(
          ctx,
          { ...loaded, candidate },
          { dryRun, action, silent: true },
        )
      ).changes;
  }

  function deleteCandidateStep(loaded: LoadedModel): Step {
    return async dryRun => {
      const candidate = loaded.candidate!;
      if (!dryRun) {
        await clusterOf(loaded).delete({
          ...KINDS.inferenceService,
          namespace: candidate.metadata.namespace!,
          name: candidate.metadata.name,
        });
      }
      return planChanges([candidate as KubeObject], []);
    };
  }

  /** Runs the steps in order (each one's dry run plans against the state before all of them). */
  async function run(steps: Step[], dryRun: boolean) {
    const changes: PlannedChange[] = [];
    for (const step of steps) changes.push(...(await step(dryRun)));
    return changes.filter(c => c.action !== 'unchanged');
  }

  function published(loaded: LoadedModel): PublishedModel {
    if (!loaded.current.request) {
      refuse(blueGreenStatus(locator(loaded), loaded).explanation);
    }
    return loaded as PublishedModel;
  }

  /** The model's own spec, which a new version changes. */
  function modelSpec(loaded: LoadedModel): ModelSpec {
    const cluster = clusterOf(loaded);
    const read = readModelSpec(
      loaded.isvc,
      loaded.tenant.name,
      cluster.fieldManager,
    );
    if (!read.ok) {
      refuse(
        `'${loaded.isvc.metadata.name}' cannot be rolled out from the portal: ${read.problem}`,
      );
    }
    return read.spec;
  }

  /** The candidate's spec, under the model's name. */
  function candidateSpec(loaded: LoadedModel): ModelSpec {
    const candidate = loaded.candidate!;
    const state = candidateState(candidate);
    const name = loaded.isvc.metadata.name;
    const read = readModelSpec(
      candidate,
      loaded.tenant.name,
      clusterOf(loaded).fieldManager,
      {
        name,
        rebuild: spec =>
          buildCandidate(loaded.tenant.namespace, spec, {
            tenant: loaded.tenant.name,
            percent: state.percent,
            promoting: state.promoting,
            autoRollback: rawAutoRollback(candidate),
          }),
      },
    );
    if (!read.ok) {
      refuse(`The new version of '${name}' cannot be changed: ${read.problem}`);
    }
    return read.spec;
  }

  function requireCandidate(loaded: LoadedModel, ready: boolean) {
    const candidate = loaded.candidate;
    if (!candidate) {
      refuse(
        `There is no new version of '${loaded.isvc.metadata.name}': ${
          blueGreenStatus(locator(loaded), loaded).explanation
        }`,
      );
    }
    const state = candidateState(candidate);
    if (state.promoting) {
      refuse(
        `'${loaded.isvc.metadata.name}' is being promoted; wait until it is done`,
      );
    }
    if (ready && !state.ready) {
      refuse(
        `The new version ${candidate.metadata.name} is not Ready: ${
          blueGreenStatus(locator(loaded), loaded).explanation
        }`,
      );
    }
    return candidate;
  }

  /**
   * The candidate with its spec unchanged and another share or promotion state, and the route as
   * that state says: the two steps of a share change and of the start of a promotion.
   */
  function restateCandidate(
    ctx: CallContext,
    loaded: LoadedModel,
    state: { percent: number; promoting?: boolean },
    action: HistoryAction,
  ): Step[] {
    const publication = published(loaded);
    const candidate = requireCandidate(loaded, true);
    const manifest = buildCandidate(
      loaded.tenant.namespace,
      candidateSpec(loaded),
      // A share change or a promotion keeps the automatic roll back asked for at the start.
      {
        tenant: loaded.tenant.name,
        ...state,
        autoRollback: rawAutoRollback(candidate),
      },
    );
    return [
      isvcStep(loaded, candidate, manifest),
      routeStep(
        ctx,
        publication,
        { ...candidate, metadata: manifest.metadata },
        action,
      ),
    ];
  }

  /** The result of an operation: its changes and the state it leaves (a dry run: the state now). */
  async function result(
    loaded: LoadedModel,
    steps: Step[],
    dryRun: boolean,
    after: () => Promise<LoadedModel>,
  ): Promise<RolloutResult> {
    const changes = await run(steps, dryRun);
    return {
      dryRun,
      changes,
      rollout: blueGreenStatus(
        locator(loaded),
        dryRun ? loaded : await after(),
      ),
    };
  }

  return {
    /** A new version as a candidate at `percent` once Ready (a candidate there already is replaced). */
    async start(
      ctx: CallContext,
      loaded: LoadedModel,
      next: (current: ModelSpec) => Record<string, unknown>,
      percent: number,
      parse: (spec: Record<string, unknown>) => ModelSpec,
      dryRun: boolean,
      after: () => Promise<LoadedModel>,
      autoRollback?: AutoRollback,
    ) {
      const publication = published(loaded);
      if (loaded.candidate && candidateState(loaded.candidate).promoting) {
        refuse(
          `'${loaded.isvc.metadata.name}' is being promoted; wait until it is done`,
        );
      }
      const spec = parse(next(modelSpec(loaded)));
      const name = candidateName(loaded.isvc.metadata.name);
      if (!loaded.candidate) {
        const taken = await clusterOf(loaded).get<InferenceServiceObject>({
          ...KINDS.inferenceService,
          namespace: loaded.tenant.namespace,
          name,
        });
        if (taken) {
          refuse(
            `A model named '${name}' exists in ${loaded.tenant.namespace}; the new version of '${loaded.isvc.metadata.name}' needs that name in Standard mode`,
          );
        }
      }
      const manifest = buildCandidate(loaded.tenant.namespace, spec, {
        tenant: loaded.tenant.name,
        percent,
        autoRollback: autoRollback && autoRollbackAnnotation(autoRollback),
      });
      return result(
        loaded,
        [
          isvcStep(loaded, loaded.candidate, manifest),
          // A replaced candidate that had traffic loses it until the new one is Ready.
          routeStep(ctx, publication, manifest, 'rollout.start'),
        ],
        dryRun,
        after,
      );
    },

    /** Another share for a Ready candidate. */
    setTraffic(
      ctx: CallContext,
      loaded: LoadedModel,
      percent: number,
      dryRun: boolean,
      after: () => Promise<LoadedModel>,
    ) {
      return result(
        loaded,
        restateCandidate(ctx, loaded, { percent }, 'rollout.traffic'),
        dryRun,
        after,
      );
    },

    /**
     * All traffic to the candidate, and its spec to the model's own InferenceService; once that is
     * Ready with it, {@link progress} gives it the traffic back and removes the candidate.
     */
    promote(
      ctx: CallContext,
      loaded: LoadedModel,
      dryRun: boolean,
      after: () => Promise<LoadedModel>,
    ) {
      const percent = candidateState(requireCandidate(loaded, true)).percent;
      return result(
        loaded,
        [
          ...restateCandidate(
            ctx,
            loaded,
            { percent, promoting: true },
            'rollout.promote',
          ),
          isvcStep(
            loaded,
            loaded.isvc,
            buildInferenceService(
              loaded.tenant.namespace,
              candidateSpec(loaded),
              { tenant: loaded.tenant.name },
            ),
          ),
        ],
        dryRun,
        after,
      );
    },

    /** All traffic back to the model's own InferenceService, and the candidate removed. */
    rollback(
      ctx: CallContext,
      loaded: LoadedModel,
      dryRun: boolean,
      after: () => Promise<LoadedModel>,
    ) {
      const publication = published(loaded);
      requireCandidate(loaded, false);
      return result(
        loaded,
        [
          routeStep(ctx, publication, undefined, 'rollout.rollback'),
          deleteCandidateStep(loaded),
        ],
        dryRun,
        after,
      );
    },

    /**
     * What the cluster's state asks for now, without anyone asking (./progressRollouts.ts): the
     * candidate's share once it became Ready (or none once it stopped being Ready), and the end of
     * a promotion once the model's own InferenceService is Ready with the new spec. Decided from
     * what was read; `record` runs and records the change when there is one. False: nothing to do.
     */
    async progress(
      ctx: CallContext,
      loaded: LoadedModel,
      record: (change: {
        action: HistoryAction;
        summary: string;
        apply: () => Promise<PlannedChange[]>;
      }) => Promise<unknown>,
    ): Promise<boolean> {
      const candidate = loaded.candidate;
      if (!candidate || !loaded.current.request) return false;
      const publication = loaded as PublishedModel;
      const state = candidateState(candidate);
      if (state.promoting) {
        if (!promotedModelReady(loaded)) return false;
        await record({
          action: 'rollout.promote',
          summary: `promotion complete: ${loaded.isvc.metadata.name} serves the new version to all traffic`,
          apply: () =>
            run(
              [
                routeStep(ctx, publication, undefined, 'rollout.promote'),
                deleteCandidateStep(loaded),
              ],
              false,
            ),
        });
        return true;
      }
      const live = blueGreenStatus(locator(loaded), loaded).candidate?.percent;
      if (live === candidateWeight(candidate)) return false;
      await record({
        action: 'rollout.traffic',
        summary: state.ready
          ? `new version Ready: ${state.percent} % of the traffic`
          : 'new version not Ready: all traffic to the current version',
        apply: () =>
          run(
            [routeStep(ctx, publication, candidate, 'rollout.traffic')],
            false,
          ),
      });
      return true;
    },
  };
}

/** The model's own InferenceService is Ready, with KServe having seen its newest spec. */
function promotedModelReady(loaded: LoadedModel): boolean {
  const { isvc } = loaded;
  const observed = isvc.status?.observedGeneration;
  const seen =
    typeof observed === 'number' &&
    isvc.metadata.generation !== undefined &&
    observed >= isvc.metadata.generation;
  const ready = (isvc.status?.conditions ?? []).some(
    c => c.type === 'Ready' && c.status === 'True',
  );
  return seen && ready;
}

export type BlueGreenRollouts = ReturnType<typeof createBlueGreenRollouts>;
