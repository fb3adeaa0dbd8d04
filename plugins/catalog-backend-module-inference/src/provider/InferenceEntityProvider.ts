import type {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { EntitySource } from './createEntitySource';

/**
 * Until the first sync succeeds, how often and how long to retry (the catalog may still be loading).
 * @public
 */
export interface WarmUpOptions {
  retryDelayMs: number;
  attempts: number;
}

const DEFAULT_WARM_UP: WarmUpOptions = { retryDelayMs: 10_000, attempts: 30 };

/**
 * Model Components and published-endpoint API entities from the InferenceServices of every
 * tenant namespace. Each sync is a full mutation, so a deleted InferenceService's entities go
 * with the next sync. Syncs run on a schedule and on request (after the portal changed a model);
 * requests that arrive during a sync coalesce into one more sync right after it, so a change made
 * while a sync was already listing the cluster is never missed.
 * @public
 */
export class InferenceEntityProvider implements EntityProvider {
  readonly #source: EntitySource;
  readonly #taskRunner: SchedulerServiceTaskRunner;
  readonly #logger: LoggerService;
  readonly #warmUp: WarmUpOptions;
  #connection?: EntityProviderConnection;
  #running?: Promise<void>;
  #queued?: Promise<void>;
  #synced = false;
  #warmUpAttempts = 0;
  #warmUpTimer?: NodeJS.Timeout;

  constructor(options: {
    source: EntitySource;
    taskRunner: SchedulerServiceTaskRunner;
    logger: LoggerService;
    warmUp?: WarmUpOptions;
  }) {
    this.#source = options.source;
    this.#taskRunner = options.taskRunner;
    this.#logger = options.logger;
    this.#warmUp = options.warmUp ?? DEFAULT_WARM_UP;
  }

  getProviderName(): string {
    return 'inference';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.#taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.refresh(),
    });
  }

  /** A full sync now, or right after the one in progress. Rejects when the sync fails. */
  refresh(): Promise<void> {
    if (this.#running) {
      this.#queued ??= this.#running
        .catch(() => undefined)
        .then(() => {
          this.#queued = undefined;
          return this.refresh();
        });
      return this.#queued;
    }
    const run = this.#sync().finally(() => {
      this.#running = undefined;
    });
    this.#running = run;
    return run;
  }

  /** Asks for a sync without waiting for it (event handlers); a failure is logged. */
  requestRefresh(reason: string): void {
    this.#logger.debug(`Refreshing inference entities: ${reason}`);
    this.refresh().catch(error =>
      this.#logger.warn(`Inference entity refresh (${reason}) failed`, error),
    );
  }

  /** Cancels a pending warm-up retry (backend shutdown). */
  stop(): void {
    clearTimeout(this.#warmUpTimer);
    this.#warmUpTimer = undefined;
  }

  async #sync(): Promise<void> {
    const connection = this.#connection;
    if (!connection) {
      throw new Error(
        `${this.getProviderName()} entity provider is not connected yet`,
      );
    }
    let entities;
    try {
      entities = await this.#source.readEntities();
    } catch (error) {
      this.#scheduleWarmUpRetry();
      throw error;
    }
    if (!entities) {
      this.#logger.info(
        'No tenant groups in the catalog yet; inference entities not synced',
      );
      this.#scheduleWarmUpRetry();
      return;
    }
    await connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    this.#synced = true;
    this.stop();
    this.#logger.info(`Synced ${entities.length} inference entities`);
  }

  /** Before the first successful sync, tries again soon instead of waiting for the schedule. */
  #scheduleWarmUpRetry() {
    if (
      this.#synced ||
      this.#warmUpTimer ||
      this.#warmUpAttempts >= this.#warmUp.attempts
    ) {
      return;
    }
    this.#warmUpAttempts += 1;
    this.#warmUpTimer = setTimeout(() => {
      this.#warmUpTimer = undefined;
      this.requestRefresh('warm-up retry');
    }, this.#warmUp.retryDelayMs);
    this.#warmUpTimer.unref?.();
  }
}
