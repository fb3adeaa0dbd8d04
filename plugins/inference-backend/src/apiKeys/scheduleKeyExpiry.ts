import type {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { ApiKeyService } from './ApiKeyService';

/** Revokes rotated keys whose grace period ended, every minute (one replica at a time). */
export async function scheduleKeyExpiry(deps: {
  scheduler: SchedulerService;
  auth: AuthService;
  logger: LoggerService;
  apiKeys: ApiKeyService;
}): Promise<void> {
  const { logger } = deps;
  await deps.scheduler.scheduleTask({
    id: 'inference-expire-rotated-keys',
    frequency: { minutes: 1 },
    timeout: { minutes: 5 },
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
