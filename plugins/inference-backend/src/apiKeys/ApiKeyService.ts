import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ApiKeyInfo,
  CreatedApiKey,
  inferenceModelKeysManagePermission,
  ModelLocator,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { ClusterRegistry } from '@inference-in-a-box/backstage-plugin-inference-node';
import type { ModelAccess } from '../permissions/ModelAccess';
import { DEFAULT_MAX_KEYS_PER_PUBLICATION } from '../config';
import type {
  PublishedModel,
  PublicationEngine,
} from '../publication/publicationEngine';
import type { CallContext } from '../requestContext';
import type { TenantDirectory } from '../tenants/TenantDirectory';
import { ApiKeyMaterial, describeKey, generateApiKey } from './apiKeys';
import { ExpiryReport, expireKeys } from './expireKeys';

/** The API keys of a publication: they live only in its Secret, and each change re-applies it. */
export interface ApiKeyService {
  /** Every key in the Secret; those past their grace period (still working) are marked expired. */
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
  /**
   * Removes keys whose grace period has ended, in every publication. Each tenant and each
   * publication is handled on its own: a failure is reported and the others still expire.
   */
  expire(ctx: CallContext): Promise<ExpiryReport>;
}

/** Key names are at most 63 characters; a rotated key keeps its name, shortened to fit. */
const MAX_ROTATED_NAME = 56;

export function createApiKeyService(deps: {
  clusters: ClusterRegistry;
  tenants: TenantDirectory;
  access: ModelAccess;
  engine: PublicationEngine;
  /** Most keys one publication may hold (`inference.publishing.maxKeysPerPublication`). */
  maxKeysPerPublication?: number;
}): ApiKeyService {
  const { clusters, tenants, access, engine } = deps;
  const maxKeys =
    deps.maxKeysPerPublication ?? DEFAULT_MAX_KEYS_PER_PUBLICATION;

  const requireKeysPermission = (ctx: CallContext, model: ModelLocator) =>
    access.require(ctx.credentials, inferenceModelKeysManagePermission, model);

  /**
   * Checks the permission, then runs `change` with the model freshly loaded, under the
   * publication's lock: every read-modify-write of the Secret sees the previous one's result.
   */
  async function changeKeys<T>(
    ctx: CallContext,
    model: ModelLocator,
    change: (loaded: PublishedModel) => Promise<T>,
  ): Promise<T> {
    const tenant = await requireKeysPermission(ctx, model);
    return engine.withLock(model, async () =>
      change(await engine.loadPublished(tenant, model)),
    );
  }

  function checkCap(keys: ApiKeyMaterial[], what: string) {
    if (keys.length > maxKeys) {
      throw new ConflictError(
        `${what} would give this publication ${keys.length} API keys; at most ${maxKeys} are allowed (inference.publishing.maxKeysPerPublication, rotated keys in their grace period count). Revoke a key first.`,
      );
    }
  }

  return {
    async list(ctx, model) {
      const tenant = await requireKeysPermission(ctx, model);
      const { allKeys, readAt } = (await engine.loadPublished(tenant, model))
        .current;
      return allKeys.map(k => describeKey(k, readAt));
    },

    async create(ctx, model, name) {
      return changeKeys(ctx, model, async loaded => {
        if (loaded.current.keys.some(k => k.name === name)) {
          throw new ConflictError(`name: a key named '${name}' already exists`);
        }
        const key = generateApiKey(name);
        const keys = [...loaded.current.keys, key];
        checkCap(keys, 'Creating a key');
        await engine.replaceKeys(ctx, loaded, keys, {
          action: 'apikey.create',
          summary: `key ${key.id} (${name}) created`,
        });
        return { ...describeKey(key), key: key.value };
      });
    },

    async revoke(ctx, model, keyId) {
      await changeKeys(ctx, model, async loaded => {
        // An expired key still in the Secret still works, so it can be revoked too.
        if (!loaded.current.allKeys.some(k => k.id === keyId)) {
          throw new NotFoundError(`No API key '${keyId}' in this publication`);
        }
        await engine.replaceKeys(
          ctx,
          loaded,
          loaded.current.keys.filter(k => k.id !== keyId),
          { action: 'apikey.revoke', summary: `key ${keyId} revoked` },
        );
      });
    },

    async rotate(ctx, model, keyId, graceSeconds) {
      return changeKeys(ctx, model, async loaded => {
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
        checkCap(keys, 'Rotating with a grace period');
        await engine.replaceKeys(ctx, loaded, keys, {
          action: 'apikey.rotate',
          summary: `key ${keyId} rotated to ${key.id}; old key valid for ${graceSeconds} s`,
        });
        return { ...describeKey(key), key: key.value };
      });
    },

    expire(ctx) {
      return expireKeys(ctx, { clusters, tenants, engine });
    },
  };
}
