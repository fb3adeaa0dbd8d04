import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ApiKeyInfo,
  CreatedApiKey,
  inferenceModelKeysManagePermission,
  LABEL_MANAGED_BY,
  LABEL_MODEL,
  MANAGED_BY_PORTAL,
  ModelLocator,
} from '@internal/backstage-plugin-inference-common';
import {
  ClusterRegistry,
  KINDS,
} from '@internal/backstage-plugin-inference-node';
import type { ModelAccess } from '../permissions/ModelAccess';
import { readCurrentPublication } from '../publication/currentPublication';
import type { PublicationEngine } from '../publication/publicationEngine';
import type { CallContext } from '../requestContext';
import type { TenantDirectory } from '../tenants/TenantDirectory';
import { describeKey, generateApiKey } from './apiKeys';

/** The API keys of a publication: they live only in its Secret, and each change re-applies it. */
export interface ApiKeyService {
  list(ctx: CallContext, model: ModelLocator): Promise<ApiKeyInfo[]>;
  create(
    ctx: CallContext,
    model: ModelLocator,
    name: string,
  ): Promise<CreatedApiKey>;
  revoke(ctx: CallContext, model: ModelLocator, keyId: string): Promise<void>;
  /** A new key now; the old one keeps working for `graceSeconds`, then is revoked. */
  rotate(
    ctx: CallContext,
    model: ModelLocator,
    keyId: string,
    graceSeconds: number,
  ): Promise<CreatedApiKey>;
  /** Removes keys whose grace period has ended, in every publication; returns how many. */
  expire(ctx: CallContext): Promise<number>;
}

/** Key names are at most 63 characters; a rotated key keeps its name, shortened to fit. */
const MAX_ROTATED_NAME = 56;

export function createApiKeyService(deps: {
  clusters: ClusterRegistry;
  tenants: TenantDirectory;
  access: ModelAccess;
  engine: PublicationEngine;
}): ApiKeyService {
  const { clusters, tenants, access, engine } = deps;

  async function loadForKeys(ctx: CallContext, model: ModelLocator) {
    const tenant = await access.require(
      ctx.credentials,
      inferenceModelKeysManagePermission,
      model,
    );
    return engine.load(tenant, model);
  }

  return {
    async list(ctx, model) {
      const loaded = await loadForKeys(ctx, model);
      engine.requirePublished(loaded);
      return loaded.current.keys.map(describeKey);
    },

    async create(ctx, model, name) {
      const loaded = await loadForKeys(ctx, model);
      if (loaded.current.keys.some(k => k.name === name)) {
        throw new ConflictError(`name: a key named '${name}' already exists`);
      }
      const key = generateApiKey(name);
      await engine.replaceKeys(ctx, loaded, [...loaded.current.keys, key], {
        action: 'apikey.create',
        summary: `key ${key.id} (${name}) created`,
      });
      return { ...describeKey(key), key: key.value };
    },

    async revoke(ctx, model, keyId) {
      const loaded = await loadForKeys(ctx, model);
      if (!loaded.current.keys.some(k => k.id === keyId)) {
        throw new NotFoundError(`No API key '${keyId}' in this publication`);
      }
      await engine.replaceKeys(
        ctx,
        loaded,
        loaded.current.keys.filter(k => k.id !== keyId),
        { action: 'apikey.revoke', summary: `key ${keyId} revoked` },
      );
    },

    async rotate(ctx, model, keyId, graceSeconds) {
      const loaded = await loadForKeys(ctx, model);
      const old = loaded.current.keys.find(k => k.id === keyId);
      if (!old) {
        throw new NotFoundError(`No API key '${keyId}' in this publication`);
      }
      const key = generateApiKey(old.name.slice(0, MAX_ROTATED_NAME));
      const expiresAt = new Date(
        Date.now() + graceSeconds * 1000,
      ).toISOString();
      // The old key stays until its grace period ends (then expire removes it); 0 drops it now.
      const others = loaded.current.keys.filter(k => k.id !== keyId);
      const keys = [
        ...others,
        ...(graceSeconds > 0 ? [{ ...old, expiresAt }] : []),
        key,
      ];
      await engine.replaceKeys(ctx, loaded, keys, {
        action: 'apikey.rotate',
        summary: `key ${keyId} rotated to ${key.id}; old key valid for ${graceSeconds} s`,
      });
      return { ...describeKey(key), key: key.value };
    },

    async expire(ctx) {
      let expired = 0;
      for (const tenant of await tenants.list()) {
        const secrets = await clusters
          .get(tenant.cluster)
          .list(KINDS.secret.apiVersion, KINDS.secret.kind, {
            namespace: tenant.namespace,
            labelSelector: `${LABEL_MANAGED_BY}=${MANAGED_BY_PORTAL}`,
          });
        for (const secret of secrets) {
          const name = secret.metadata.labels?.[LABEL_MODEL];
          if (!name) continue;
          const model = {
            cluster: tenant.cluster,
            namespace: tenant.namespace,
            name,
          };
          const loaded = await engine
            .load(tenant, model)
            .catch(() => undefined);
          if (!loaded) continue;
          // Read as of the epoch, every key is live: the difference is what has expired.
          const all = readCurrentPublication(
            loaded.current.objects,
            new Date(0),
          ).keys;
          if (all.length === loaded.current.keys.length) continue;
          expired += all.length - loaded.current.keys.length;
          await engine.replaceKeys(ctx, loaded, loaded.current.keys, {
            action: 'apikey.revoke',
            summary: 'grace period of a rotated key ended',
          });
        }
      }
      return expired;
    },
  };
}
