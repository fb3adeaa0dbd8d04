import type {
  ApiKeyInfo,
  ModelDetails,
  ModelWriteResult,
  PublishResult,
  RolloutResult,
  RolloutStatus,
  CreatedApiKey,
  HistoryEntry,
  ModelLocator,
  ModelSummary,
  PlatformOverview,
  PublicationDrift,
  PublicationSummary,
  TestInvocationRequest,
  TenantInfo,
  TestInvocationResult,
} from '../api/types';
import type { ModelUsage, TenantUsage, UsageWindow } from '../api/usage';
import type { ModelSpecInput } from '../schemas/modelSpec';
import type { PublishRequest } from '../schemas/publish';
import type { RolloutOperation } from '../schemas/rollout';

/** Options of calls made on behalf of a user from another backend (scaffolder actions). @public */
export interface RequestOptions {
  /** A Backstage token; browser clients leave it out (the fetch API adds the user's token). */
  token?: string;
}

/**
 * The inference backend's REST API (see plugins/inference-backend/openapi.yaml). Errors are thrown
 * as `ResponseError` from `@backstage/errors`, carrying the backend's message, status and, for
 * invalid input, `body.error.fields` (`{ field, message }[]`).
 * @public
 */
export interface InferenceApi {
  listTenants(options?: RequestOptions): Promise<TenantInfo[]>;
  listModels(options?: RequestOptions): Promise<ModelSummary[]>;
  getModel(
    model: ModelLocator,
    options?: RequestOptions,
  ): Promise<ModelDetails>;
  createModel(
    target: { cluster?: string; namespace: string; spec: ModelSpecInput },
    options?: RequestOptions & { dryRun?: boolean },
  ): Promise<ModelWriteResult>;
  updateModel(
    model: ModelLocator,
    spec: ModelSpecInput,
    options?: RequestOptions & { dryRun?: boolean },
  ): Promise<ModelWriteResult>;
  deleteModel(model: ModelLocator, options?: RequestOptions): Promise<void>;
  /** Every publication in the tenants the caller may read. */
  listPublications(options?: RequestOptions): Promise<PublicationSummary[]>;
  /** Undefined when the model is not published. */
  getPublication(
    model: ModelLocator,
    options?: RequestOptions,
  ): Promise<PublicationSummary | undefined>;
  publish(
    model: ModelLocator,
    request: PublishRequest,
    options?: RequestOptions & { dryRun?: boolean },
  ): Promise<PublishResult>;
  unpublish(
    model: ModelLocator,
    options?: RequestOptions & { dryRun?: boolean },
  ): Promise<PublishResult>;
  /**
   * Runs a drift check of the publication now (read permission) and returns it; guards the
   * check finds weakened are put back at once, as on the scheduled check.
   */
  checkPublicationDrift(
    model: ModelLocator,
    options?: RequestOptions,
  ): Promise<PublicationDrift>;
  /** Re-applies the published objects, taking every drifted field back (publish permission). */
  reconcilePublication(
    model: ModelLocator,
    options?: RequestOptions,
  ): Promise<PublicationSummary>;
  /** Where the model's rollout stands (read permission). */
  getRollout(
    model: ModelLocator,
    options?: RequestOptions,
  ): Promise<RolloutStatus>;
  /**
   * Starts a rollout, changes the new version's share, promotes it or rolls back (update
   * permission); `dryRun` plans without writing, for the review step.
   */
  changeRollout(
    model: ModelLocator,
    operation: RolloutOperation,
    options?: RequestOptions & { dryRun?: boolean },
  ): Promise<RolloutResult>;
  listApiKeys(
    model: ModelLocator,
    options?: RequestOptions,
  ): Promise<ApiKeyInfo[]>;
  createApiKey(
    model: ModelLocator,
    name: string,
    options?: RequestOptions,
  ): Promise<CreatedApiKey>;
  rotateApiKey(
    model: ModelLocator,
    keyId: string,
    graceSeconds: number,
    options?: RequestOptions,
  ): Promise<CreatedApiKey>;
  revokeApiKey(
    model: ModelLocator,
    keyId: string,
    options?: RequestOptions,
  ): Promise<void>;
  getHistory(
    model: ModelLocator,
    options?: RequestOptions,
  ): Promise<HistoryEntry[]>;
  testModel(
    model: ModelLocator,
    request: TestInvocationRequest,
    options?: RequestOptions,
  ): Promise<TestInvocationResult>;
  /**
   * A streamed test invocation read as it arrives: `onChunk` gets each event's data while the
   * model produces it; the promise resolves with the status, latency, headers and usage at the end.
   */
  streamTestModel(
    model: ModelLocator,
    request: TestInvocationRequest,
    onChunk: (data: string) => void,
    options?: RequestOptions,
  ): Promise<TestInvocationResult>;
  /**
   * Per configured cluster: whether it is reachable, which platform API groups are installed in
   * which versions, the platform Gateway's conditions and each tenant's counts of models and
   * publications. Platform admins only (`inference.admin`); others get a 403 `ResponseError`.
   */
  getPlatformOverview(options?: RequestOptions): Promise<PlatformOverview>;
  /**
   * One model's usage over a window, read from Prometheus. 501 (`NotImplementedError`) when no
   * Prometheus is configured (`inference.usage.prometheusUrl`), 503 when it does not answer.
   */
  getModelUsage(
    model: ModelLocator,
    window: UsageWindow,
    options?: RequestOptions,
  ): Promise<ModelUsage>;
  /** The usage of every tenant the caller may read, over a window (errors as getModelUsage). */
  getTenantUsage(
    window: UsageWindow,
    options?: RequestOptions,
  ): Promise<TenantUsage[]>;
}
