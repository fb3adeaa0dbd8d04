import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  ModelLocator,
  PublishRequest,
} from '@inference-in-a-box/backstage-plugin-inference-common';

const TABLE = 'inference_publish_plans';
/** How long a plan may wait for its publish: long enough to review, short enough to stay true. */
export const PLAN_LIFETIME_MS = 15 * 60 * 1000;

export interface PublishPlan {
  id: string;
  request: PublishRequest;
  fingerprint: string;
  expiresAt: Date;
}

/** Plans of the agent actions (migrations/20261205000001_publish_plans.js). */
export interface PublishPlanStore {
  save(plan: {
    model: ModelLocator;
    actor: string;
    request: PublishRequest;
    fingerprint: string;
  }): Promise<PublishPlan>;
  /**
   * The plan, removed so it is used once: only the actor who made it, for the model it was made
   * for, before it expires. Refusals say which of these failed, never another user's plan.
   */
  take(id: string, model: ModelLocator, actor: string): Promise<PublishPlan>;
}

const keyOf = (m: ModelLocator) => `${m.cluster}/${m.namespace}/${m.name}`;

export function createPublishPlanStore(
  knex: Knex,
  now: () => number = Date.now,
): PublishPlanStore {
  return {
    async save({ model, actor, request, fingerprint }) {
      const plan = {
        id: randomUUID(),
        request,
        fingerprint,
        expiresAt: new Date(now() + PLAN_LIFETIME_MS),
      };
      // Expired plans of anyone go on the way; nothing else reads them.
      await knex(TABLE).where('expires_at', '<', now()).delete();
      await knex(TABLE).insert({
        id: plan.id,
        publication_key: keyOf(model),
        actor,
        request: JSON.stringify(request),
        fingerprint,
        expires_at: plan.expiresAt.getTime(),
      });
      return plan;
    },

    async take(id, model, actor) {
      const row = await knex(TABLE).where({ id, actor }).first();
      const notFound = new NotFoundError(
        `No publish plan '${id}' of yours; make one with plan-publish and publish with its planId`,
      );
      if (!row) throw notFound;
      if (row.publication_key !== keyOf(model))
        throw new ConflictError(
          `Plan '${id}' was made for ${row.publication_key}, not ${keyOf(
            model,
          )}; make a plan for this model`,
        );
      // Used once: whoever deletes the row publishes; a concurrent second use finds nothing.
      const deleted = await knex(TABLE).where({ id }).delete();
      if (deleted === 0) throw notFound;
      if (Number(row.expires_at) < now())
        throw new ConflictError(
          `Plan '${id}' expired; make a new plan and review it`,
        );
      return {
        id,
        request: JSON.parse(row.request),
        fingerprint: row.fingerprint,
        expiresAt: new Date(Number(row.expires_at)),
      };
    },
  };
}
