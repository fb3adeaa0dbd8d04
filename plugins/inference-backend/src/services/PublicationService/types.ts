import type {
  ApiKeyInfo,
  CreatedApiKey,
  HistoryEntry,
  PlannedChange,
  PublicationSummary,
  PublishRequest,
  TestInvocationRequest,
  TestInvocationResult,
} from '@internal/backstage-plugin-inference-common';
import type { CallContext } from '../../history/recordMutation';
import type { ModelCoordinates } from '../../permissions/ModelAccess';

export interface PublishResult {
  dryRun: boolean;
  changes: PlannedChange[];
  publication?: PublicationSummary;
}

/** Publishing a model through the gateway, its API keys, history and test invocations. */
export interface PublicationService {
  /** Every publication in the tenants the caller may read. Never null. */
  list(ctx: CallContext): Promise<PublicationSummary[]>;
  get(ctx: CallContext, model: ModelCoordinates): Promise<PublicationSummary>;
  /** Publish or update: one idempotent apply of the whole object set; dryRun plans only. */
  publish(
    ctx: CallContext,
    model: ModelCoordinates,
    request: PublishRequest,
    options: { dryRun: boolean },
  ): Promise<PublishResult>;
  unpublish(
    ctx: CallContext,
    model: ModelCoordinates,
    options: { dryRun: boolean },
  ): Promise<PublishResult>;
  listKeys(ctx: CallContext, model: ModelCoordinates): Promise<ApiKeyInfo[]>;
  createKey(
    ctx: CallContext,
    model: ModelCoordinates,
    name: string,
  ): Promise<CreatedApiKey>;
  revokeKey(
    ctx: CallContext,
    model: ModelCoordinates,
    keyId: string,
  ): Promise<void>;
  /** A new key now; the old one keeps working for `graceSeconds`, then is revoked. */
  rotateKey(
    ctx: CallContext,
    model: ModelCoordinates,
    keyId: string,
    graceSeconds: number,
  ): Promise<CreatedApiKey>;
  /** Removes keys whose grace period has ended, in every publication; returns how many. */
  expireKeys(ctx: CallContext): Promise<number>;
  history(ctx: CallContext, model: ModelCoordinates): Promise<HistoryEntry[]>;
  /** With `onData`, a streamed response's events are handed on as they arrive. */
  test(
    ctx: CallContext,
    model: ModelCoordinates,
    request: TestInvocationRequest,
    options?: { onData?: (data: string) => void },
  ): Promise<TestInvocationResult>;
}
