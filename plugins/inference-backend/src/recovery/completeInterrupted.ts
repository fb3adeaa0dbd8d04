import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ModelLocator } from '@inference-in-a-box/backstage-plugin-inference-common';
import type { ClusterRegistry } from '@inference-in-a-box/backstage-plugin-inference-node';
import { checkHostnameFree } from '../publication/checkHostnameFree';
import type {
  LoadedModel,
  PublicationEngine,
} from '../publication/publicationEngine';
import type { CallContext } from '../requestContext';
import type { TenantDirectory } from '../tenants/TenantDirectory';
import type { PublicationIntent, PublicationIntentStore } from './IntentStore';

/** What one look for interrupted changes did. */
export interface RecoveryRun {
  /** Changes applied again, whole. */
  completed: ModelLocator[];
  failures: { model: ModelLocator; error: Error }[];
}

/**
 * Finishes the changes that stopped replicas left half applied.
 *
 * A change to a publication writes several objects (guards, then routes, then deletions; see
 * applyPublication.ts), and Kubernetes has no transaction over them: a replica killed between two
 * writes leaves some objects old and some new. Its intent row (IntentStore.ts) outlives it, and so
 * does its publication lock's row until the lease runs out (publicationLock.ts). Once the lease
 * ran out, this takes the publication's lock (taking the dead holder's row over) and, if the
 * intent is still there (nobody finished or replaced it meanwhile), applies the whole change
 * again: the recorded publish request with the keys the Secret holds now, or the unpublish. The
 * publication ends as the change would have left it, never a mix; a history row (actor: this
 * plugin) says what was finished and for whom.
 *
 * Keys are taken from the cluster: a key change writes only the Secret, so it is either in the
 * cluster whole or not at all, and a publish keeps the keys it found.
 */
export function createRecovery(deps: {
  intents: PublicationIntentStore;
  engine: PublicationEngine;
  tenants: TenantDirectory;
  clusters: ClusterRegistry;
}) {
  const { intents, engine, tenants, clusters } = deps;

  /** Applies one interrupted change again, under its publication's lock; false if none was left. */
  async function complete(
    ctx: CallContext,
    model: ModelLocator,
  ): Promise<boolean> {
    return engine.withLock(model, async () => {
      // Read under the lock: its holder finished, or a later change replaced it, meanwhile.
      const intent = await intents.get(model);
      if (!intent) return false;
      const tenant = await tenants.byNamespace(model.cluster, model.namespace);
      let loaded: LoadedModel | undefined;
      try {
        loaded = tenant && (await engine.load(tenant, model));
      } catch (error) {
        if ((error as Error).name !== 'NotFoundError') throw error;
      }
      if (!tenant || !loaded) {
        // The namespace is no tenant's any more, or the model is gone (its objects with it).
        await intents.end(model);
        return false;
      }
      const summary = `Applied again after the replica applying ${
        intent.action
      } by ${intent.actor} stopped midway${
        intent.summary ? ` (${intent.summary})` : ''
      }`;
      if (!intent.target) {
        if (loaded.current.objects.length === 0) await intents.end(model);
        else await engine.remove(ctx, loaded, { dryRun: false });
        return true;
      }
      const { request, modelType } = intent.target;
      const converge = (current: LoadedModel) =>
        engine.converge(
          ctx,
          current,
          { request, modelType, keys: current.current.keys },
          { dryRun: false, action: intent.action, summary },
        );
      if (modelType !== 'openai' || !request.hostname) {
        await converge(loaded);
        return true;
      }
      // As a publish does (PublicationService.ts): one OpenAI-compatible publication per hostname.
      const found = loaded;
      await engine.withHostnameLock(
        model.cluster,
        request.hostname,
        async () => {
          await checkHostnameFree({
            cluster: clusters.get(model.cluster),
            tenant,
            tenants: await tenants.list(),
            model: model.name,
            hostname: request.hostname!,
          });
          await converge(found);
        },
      );
      return true;
    });
  }

  return {
    complete,

    /** Every change whose holder's lease ran out; one failure does not stop the others. */
    async completeAll(credentials: BackstageCredentials): Promise<RecoveryRun> {
      const ctx: CallContext = { credentials };
      const run: RecoveryRun = { completed: [], failures: [] };
      const interrupted: PublicationIntent[] = await intents.listInterrupted();
      for (const { model } of interrupted) {
        try {
          if (await complete(ctx, model)) run.completed.push(model);
        } catch (error) {
          run.failures.push({ model, error: error as Error });
        }
      }
      return run;
    },
  };
}

export type Recovery = ReturnType<typeof createRecovery>;
