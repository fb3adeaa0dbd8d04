import type {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { DEFAULT_KEY_EXPIRY_SECONDS } from '../config';
import type { ApiKeyService } from './ApiKeyService';

/**
 * Revokes rotated keys whose grace period ended, every `frequencySeconds` (default a minute,
 * `inference.keyExpiry.frequencySeconds`), once per interval for the whole deployment: scope
 * global, so Backstage's scheduler runs it on one replica at a time. Each replica's worker claims
 * the run through the scheduler's tasks table in the shared database (an update of the task's row
 * that only succeeds while no run holds a ticket and its next start is due), and the next start is
 * pushed a whole interval on when the run ends (upstream backstage/backstage,
 * packages/backend-defaults/src/entrypoints/scheduler/lib/TaskWorker.ts, `tryClaimTask`,
 * `tryReleaseTask`; global is the default scope, PluginTaskSchedulerImpl.ts `scheduleTask`).
 * Each publication is changed under its lock anyway (expireKeys.ts).
 */
export async function scheduleKeyExpiry(deps: {
  scheduler: SchedulerService;
  auth: AuthService;
  logger: LoggerService;
  apiKeys: ApiKeyService;
  frequencySeconds?: number;
}): Promise<void> {
  const { logger } = deps;
  await deps.scheduler.scheduleTask({
    id: 'inference-expire-rotated-keys',
    frequency: { seconds: deps.frequencySeconds ?? DEFAULT_KEY_EXPIRY_SECONDS },
    timeout: { minutes: 5 },
    scope: 'global',
    fn: async () => {
      const { expired, failures } = await deps.apiKeys.expire({
        credentials: await deps.auth.getOwnServiceCredentials(),
      });
      if (expired > 0)
        logger.info(
          `Revoked ${expired} rotated API key(s) whose grace period ended`,
        );
      // Each failure on its own line; the other tenants and publications were still done.
      for (const failure of failures)
        logger.error(
          `Could not expire rotated API keys of tenant '${failure.tenant}'${
            failure.model ? `, model '${failure.model}'` : ''
          }: ${
            failure.error.message
          }; expired keys there keep working until a later run succeeds`,
          {
            tenant: failure.tenant,
            ...(failure.model ? { model: failure.model } : {}),
          },
        );
    },
  });
}
