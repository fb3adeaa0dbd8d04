import type { AuditorService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import type {
  HistoryAction,
  ModelLocator,
  PlannedChange,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  MODELS_CHANGED_TOPIC,
  scrubError,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { actorOf, CallContext } from '../requestContext';
import type { HistoryStore } from './HistoryStore';

export interface MutationOutcome<T> {
  result: T;
  summary?: string;
  changes?: PlannedChange[];
  /** More for the audit event only, e.g. the field managers whose changes a restore undid. */
  audit?: Record<string, string | string[]>;
}

/**
 * Runs one mutation and records it twice, whatever its outcome: as an auditor event and as a row of
 * the plugin's history table. Only names, kinds and field paths are recorded (changes carry no
 * Secret values: planChanges hides them), never an API key.
 */
export async function recordMutation<T>(
  deps: {
    auditor: AuditorService;
    history: HistoryStore;
    events?: EventsService;
  },
  ctx: CallContext,
  what: { action: HistoryAction; tenant: string; model: ModelLocator },
  mutate: () => Promise<MutationOutcome<T>>,
): Promise<T> {
  const meta = {
    action: what.action,
    cluster: what.model.cluster,
    namespace: what.model.namespace,
    model: what.model.name,
    tenant: what.tenant,
  };
  const via = ctx.via ? { via: ctx.via } : {};
  const event = await deps.auditor.createEvent({
    eventId: what.action.replace('.', '-'),
    severityLevel: 'medium',
    request: ctx.request,
    meta: { ...meta, ...via },
  });
  const actor = actorOf(ctx.credentials);
  try {
    const outcome = await mutate();
    await deps.history.record({
      ...meta,
      actor,
      ...via,
      outcome: 'succeeded',
      summary: outcome.summary,
      changes: outcome.changes,
    });
    await event.success({
      meta: {
        ...meta,
        objects: (outcome.changes ?? []).map(
          c => `${c.action} ${c.kind}/${c.name}`,
        ),
        ...outcome.audit,
      },
    });
    // Only a hint for the catalog (its scheduled sync catches up anyway): never fails the mutation.
    await deps.events
      ?.publish({ topic: MODELS_CHANGED_TOPIC, eventPayload: meta })
      .catch(() => undefined);
    return outcome.result;
  } catch (error) {
    // Stored and audited without internal addresses or ServiceAccount names (see scrubError);
    // the caller gets the original, which the router's error handler scrubs in turn.
    const scrubbed = scrubError(error as Error);
    await deps.history.record({
      ...meta,
      actor,
      ...via,
      outcome: 'failed',
      summary: scrubbed.message,
    });
    await event.fail({ error: scrubbed, meta });
    throw error;
  }
}
