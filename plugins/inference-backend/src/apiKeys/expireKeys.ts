import {
  LABEL_MODEL,
  ownershipSelector,
  Tenant,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ClusterRegistry,
  KINDS,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import type {
  PublishedModel,
  PublicationEngine,
} from '../publication/publicationEngine';
import type { CallContext } from '../requestContext';
import type { TenantDirectory } from '../tenants/TenantDirectory';

/** One failure of the expiry task: a tenant it could not list, or a publication it could not fix. */
export interface ExpiryFailure {
  tenant: string;
  /** Unset when the tenant's publications could not be listed at all. */
  model?: string;
  error: Error;
}

/** What one run of the expiry task did. */
export interface ExpiryReport {
  /** Keys removed from Secrets. */
  expired: number;
  failures: ExpiryFailure[];
}

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

/**
 * Removes the keys whose grace period has ended from every publication's Secret. Each tenant and
 * each publication is handled on its own, under the publication's lock and read afresh: one
 * failure is reported and the others still expire, and a key created meanwhile is kept.
 */
export async function expireKeys(
  ctx: CallContext,
  deps: {
    clusters: ClusterRegistry;
    tenants: TenantDirectory;
    engine: PublicationEngine;
  },
): Promise<ExpiryReport> {
  const { clusters, tenants, engine } = deps;
  const report: ExpiryReport = { expired: 0, failures: [] };

  /** One publication, under its lock, read afresh: a key created meanwhile is kept. */
  async function expireOne(tenant: Tenant, name: string) {
    const model = {
      cluster: tenant.cluster,
      namespace: tenant.namespace,
      name,
    };
    await engine.withLock(model, async () => {
      let loaded: PublishedModel;
      try {
        loaded = await engine.loadPublished(tenant, model);
      } catch (error) {
        // The model was deleted (its objects go with it) or unpublished meanwhile: nothing to expire.
        if (asError(error).name === 'NotFoundError') return;
        throw error;
      }
      const { allKeys, keys } = loaded.current;
      if (allKeys.length === keys.length) return;
      await engine.replaceKeys(ctx, loaded, keys, {
        action: 'apikey.revoke',
        summary: 'grace period of a rotated key ended',
      });
      report.expired += allKeys.length - keys.length;
    });
  }

  for (const tenant of await tenants.list()) {
    let models: string[];
    try {
      const secrets = await clusters
        .get(tenant.cluster)
        .list(KINDS.secret.apiVersion, KINDS.secret.kind, {
          namespace: tenant.namespace,
          labelSelector: ownershipSelector({ tenant: tenant.name }),
        });
      models = [
        ...new Set(
          secrets.flatMap(s => {
            const model = s.metadata.labels?.[LABEL_MODEL];
            return model ? [model] : [];
          }),
        ),
      ];
    } catch (error) {
      report.failures.push({ tenant: tenant.name, error: asError(error) });
      continue;
    }
    for (const model of models) {
      try {
        await expireOne(tenant, model);
      } catch (error) {
        report.failures.push({
          tenant: tenant.name,
          model,
          error: asError(error),
        });
      }
    }
  }
  return report;
}
