import type { ModelType } from '../entities';
import type { ModelFramework } from '../schemas/modelSpec';
import type { PublishLimits } from '../schemas/publish';
import type { AutoRollback, RolloutWindow } from '../schemas/rollout';

/**
 * Shapes the inference REST API returns. Lists are always arrays (possibly empty), never null.
 */

/** Where a model lives: what every model route, permission and history entry is addressed by. @public */
export interface ModelLocator {
  cluster: string;
  namespace: string;
  name: string;
}

/**
 * A tenant: a catalog Group of `spec.type: tenant` and the namespace (in a cluster) that is its
 * home. Tenants come from the catalog, never from configuration or request input.
 * @public
 */
export interface Tenant {
  /** Entity ref of the group, e.g. `group:default/tenant-a`. */
  ref: string;
  name: string;
  title?: string;
  cluster: string;
  namespace: string;
  /** Entity refs of the group's direct members. */
  members: string[];
}

/** A tenant as the API lists it: the catalog group joined with its namespace's state. @public */
export interface TenantInfo extends Tenant {
  namespaceState: 'Active' | 'Terminating' | 'Missing' | 'Unreachable';
}

/** Replica counts of a model. `ready`/`desired` come from the predictor's workload and are absent when unknown. @public */
export interface ModelReplicas {
  min: number;
  max: number;
  ready?: number;
  desired?: number;
}

/** Serving status of a model, from the InferenceService's conditions. @public */
export interface ModelStatus {
  ready: boolean;
  /** Reason of the first failing condition (or of Ready), e.g. `MinimumReplicasUnavailable`. */
  reason?: string;
  message?: string;
  url?: string;
  replicas: ModelReplicas;
  /** Every condition as reported, for the status card's details. */
  conditions: ModelCondition[];
}

/** @public */
export interface ModelCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** @public */
export interface ModelSummary {
  name: string;
  namespace: string;
  /** Tenant (catalog group name) the namespace belongs to. */
  tenant: string;
  cluster: string;
  /** `modelFormat.name`, or `custom-openai` for a custom container. */
  framework: ModelFramework | string;
  modelType: ModelType;
  status: ModelStatus;
  published: boolean;
  /** The publication's state when published (`drifted` after a drift check found changes). */
  publicationState?: PublicationState;
}

/**
 * `drifted`: the last drift check found the publication's objects changed outside the portal
 * (see {@link PublicationDrift}). @public
 */
export type PublicationState = 'published' | 'failed' | 'partial' | 'drifted';

/** @public */
export interface PublicationSummary {
  /** Publication id (label `inference.platform.io/publication`). */
  id: string;
  tenant: string;
  namespace: string;
  cluster: string;
  model: string;
  modelType: ModelType;
  publicModelName: string;
  hostname: string;
  /** What users call: `https://<hostname>/v1` (OpenAI) or `https://<hostname>/models/<tenant>/<model>` (predictive). */
  endpoint: string;
  auth: { apiKey: true; jwt: boolean };
  limits: PublishLimits;
  state: PublicationState;
  /** When state is failed or partial: the object that failed and why. */
  failure?: { kind: string; name: string; reason: string };
  apiKeys: ApiKeyInfo[];
  updatedAt?: string;
  /** The last drift check of this publication; absent until one has run. */
  drift?: PublicationDrift;
}

/**
 * One field a publication's object holds differently from what the portal published: `before` is
 * the published value, `after` the live one (absent when removed). Secret values are never shown:
 * both read `(hidden)`. @public
 */
export interface DriftedField extends FieldChange {
  /** The field manager (managedFields) that owns the live value, or that last updated the object. */
  manager?: string;
}

/** One object of a publication that differs from what the portal published. @public */
export interface DriftedObject {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /**
   * `missing`: deleted; `extra`: carries the publication's labels but is not part of it;
   * `changed`: fields this portal owns were changed.
   */
  change: 'missing' | 'extra' | 'changed';
  fields: DriftedField[];
  /** The change removes or weakens authentication or authorization, or removes a rate limit. */
  weakensGuard: boolean;
  /** Field managers other than the portal's that wrote the object. */
  managers: string[];
}

/** A platform-wide drift check (`POST /drift-check`, platform admins). @public */
export interface DriftRunSummary {
  checked: number;
  drifted: number;
  /** Publications whose guards the run put back. */
  restored: number;
  /** Publications that could not be checked, and why (no credentials or addresses). */
  failures: {
    cluster: string;
    namespace: string;
    name: string;
    message: string;
  }[];
}

/** The result of a drift check of one publication. @public */
export interface PublicationDrift {
  checkedAt: string;
  /** Empty when the objects match what was published. */
  objects: DriftedObject[];
  /** Guard changes this check put back by itself (drift that weakened a guard), if any. */
  restored?: DriftedObject[];
}

/** Metadata of an API key. The key itself is only ever returned once, by {@link CreatedApiKey}. @public */
export interface ApiKeyInfo {
  /** Client id: the key's entry in the Secret and the value the gateway forwards for rate limiting. */
  id: string;
  name: string;
  createdAt: string;
  /** Last four characters, so users can tell keys apart. */
  last4: string;
  /** Set while a rotated key is in its grace period. */
  expiresAt?: string;
  /**
   * True once `expiresAt` has passed while the key is still in the publication's Secret: it keeps
   * working until the expiry task removes it (within about a minute), so it is listed, not hidden.
   */
  expired?: boolean;
}

/** Answer to "create" or "rotate" an API key: the only response that carries the key. @public */
export interface CreatedApiKey extends ApiKeyInfo {
  key: string;
}

/** One field that differs between the cluster and the desired object. @public */
export interface FieldChange {
  /** Dotted path, with list indexes: `spec.rules.0.matches.0.headers.0.value`. */
  path: string;
  before?: unknown;
  after?: unknown;
}

/** What publish (or its dry run) does to one object. @public */
export interface PlannedChange {
  action: 'create' | 'update' | 'delete' | 'unchanged';
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  fieldChanges: FieldChange[];
}

/** @public */
export type HistoryAction =
  | 'model.create'
  | 'model.update'
  | 'model.delete'
  | 'publication.publish'
  | 'publication.unpublish'
  | 'apikey.create'
  | 'apikey.rotate'
  | 'apikey.revoke'
  | 'publication.drift'
  | 'publication.restore'
  | 'publication.reconcile'
  | 'rollout.start'
  | 'rollout.traffic'
  | 'rollout.promote'
  | 'rollout.rollback';

/** One row of a model's publish history (the plugin's own table). Never contains key values. @public */
export interface HistoryEntry {
  id: string;
  action: HistoryAction;
  actor: string;
  tenant: string;
  namespace: string;
  cluster: string;
  model: string;
  at: string;
  outcome: 'succeeded' | 'failed';
  /** Short human summary, e.g. "3 objects updated" or the failing object and reason. */
  summary?: string;
  changes?: PlannedChange[];
  /** How the change arrived when not through the portal, e.g. `agent action inference:publish`. */
  via?: string;
}

/** @public */
export type TestProtocol =
  | 'openai-chat'
  | 'openai-completions'
  | 'openai-embeddings'
  | 'openai-models'
  | 'kserve-v1'
  | 'kserve-v2';

/**
 * A test invocation. The backend chooses the URL (gateway or in-cluster) from configuration and the
 * model; the request names only the protocol and the body, so it cannot be pointed elsewhere.
 * @public
 */
export interface TestInvocationRequest {
  protocol: TestProtocol;
  /** Through the public gateway (with a key of the publication) or straight to the predictor. */
  target: 'gateway' | 'in-cluster';
  body?: unknown;
  stream?: boolean;
  /** Which of the publication's keys a gateway call sends (default: the newest). */
  apiKeyId?: string;
  /** A gateway call with no key at all, to see what the gateway answers without one. */
  withoutApiKey?: boolean;
}

/** @public */
export interface TokenUsage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
}

/** @public */
export interface TestInvocationResult {
  status: number;
  latencyMs: number;
  /** Response headers, with credentials removed. */
  headers: Record<string, string>;
  body: unknown;
  /** For streamed responses, the server-sent events in arrival order. */
  chunks?: string[];
  usage?: TokenUsage;
}

/** A model with its full InferenceService manifest. @public */
export interface ModelDetails extends ModelSummary {
  manifest: Record<string, unknown>;
}

/** Result of creating or updating a model (or of the dry run). @public */
export interface ModelWriteResult {
  dryRun: boolean;
  manifest: Record<string, unknown>;
  changes: PlannedChange[];
  model?: ModelSummary;
}

/**
 * Where a model's rollout stands (docs/architecture.md, "Rollouts"):
 * - `stable`: one version serves all traffic;
 * - `progressing`: a new version was created and is not Ready yet; traffic stays where it was;
 * - `canary`: the new version is Ready and gets `canaryTrafficPercent`, the previous one the rest;
 * - `failed`: the new version is not Ready and says why; traffic stays on the previous version;
 * - `rolledBack`: the previous version serves all traffic again, the new one none.
 * @public
 */
export type RolloutPhase =
  | 'stable'
  | 'progressing'
  | 'canary'
  | 'failed'
  | 'rolledBack';

/** One version of a model that can receive traffic: a Knative revision. @public */
export interface RolloutVersion {
  /** The revision's name, e.g. `iris-predictor-00002`. */
  revision: string;
  /** Its share of traffic, as the cluster reports it (0-100). */
  percent: number;
  ready: boolean;
  /** Where the version loads its model from, when the cluster says. */
  storageUri?: string;
  /** Why it is not Ready, in the cluster's words. */
  reason?: string;
  message?: string;
  /**
   * What this version answered over `usage.window`, from the Prometheus that scrapes the
   * predictors (`inference.usage.prometheusUrl`); absent when usage is not configured or could not
   * be read (`RolloutStatus.usageUnavailable` says why).
   */
  usage?: RolloutVersionUsage;
}

/** One side of a rollout's figures over a window, as its predictor's sidecar counted them. @public */
export interface RolloutVersionUsage {
  window: RolloutWindow;
  /** Requests answered in the window. */
  requests: number;
  /** Of them, answered with a 5xx status. */
  errors: number;
  /** Share of them answered 5xx, in percent (0-100); null without requests. */
  errorRatePercent: number | null;
  /** Request duration quantiles in milliseconds; null without requests. */
  latencyMs: { p50: number | null; p95: number | null };
}

/** Why a rollout's per-version figures are absent. @public */
export interface RolloutUsageUnavailable {
  /** `notConfigured`: no `inference.usage.prometheusUrl`; `unavailable`: Prometheus failed. */
  code: 'notConfigured' | 'unavailable';
  message: string;
}

/**
 * An automatic roll back that happened, as the model's history recorded it: shown until another
 * rollout operation follows it. @public
 */
export interface RolloutAutomaticRollback {
  /** When it was recorded (ISO 8601). */
  at: string;
  /** Who rolled back: the portal's own identity. */
  actor: string;
  /** The observed error rate, threshold and window, in words. */
  reason: string;
}

/** A model's rollout state, read from its InferenceService. @public */
export interface RolloutStatus {
  model: ModelLocator;
  deploymentMode: 'Standard' | 'Knative';
  /** False when this model cannot be rolled out from the portal; `explanation` says why. */
  supported: boolean;
  phase: RolloutPhase;
  /** The share the spec asks for the newest version (absent: all of it once Ready). */
  canaryTrafficPercent?: number;
  /** The version that served before the rollout (or serves now when stable). */
  stable?: RolloutVersion;
  /** The newest version, while it is not the stable one. */
  candidate?: RolloutVersion;
  /** One sentence for people: what serves now and what can be done next. */
  explanation: string;
  /** The automatic roll back asked for when the rollout started, while the new version exists. */
  autoRollback?: AutoRollback;
  /** The last rollout operation was an automatic roll back: when, by whom and why. */
  automaticRollback?: RolloutAutomaticRollback;
  /** Why the versions carry no `usage` (not configured, or Prometheus could not be read). */
  usageUnavailable?: RolloutUsageUnavailable;
}

/** Result of a rollout operation (or of its dry run, which plans without writing). @public */
export interface RolloutResult {
  dryRun: boolean;
  changes: PlannedChange[];
  /** The state after the operation (for a dry run: the state before it). */
  rollout: RolloutStatus;
}

/** Result of publishing, updating or unpublishing (or of the dry run). @public */
export interface PublishResult {
  dryRun: boolean;
  changes: PlannedChange[];
  publication?: PublicationSummary;
}

/** One API group the platform depends on, as the cluster's discovery reports it. @public */
export interface PlatformApiGroup {
  /** e.g. `serving.kserve.io`. */
  group: string;
  installed: boolean;
  /** Served versions; empty when the group is not installed. */
  versions: string[];
  preferredVersion?: string;
}

/** A condition of the platform Gateway as the cluster reports it. @public */
export interface PlatformGatewayCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  /** Passed on from the Gateway's status like any other field it has there. */
  lastTransitionTime?: string;
}

/** The platform Gateway (`inference.gateway` in configuration) and its state. @public */
export interface PlatformGateway {
  name: string;
  namespace: string;
  /** False when the Gateway does not exist (or the cluster is unreachable). */
  found: boolean;
  conditions: PlatformGatewayCondition[];
}

/** How many models and publications a tenant has on a cluster. @public */
export interface PlatformTenantCounts {
  tenant: string;
  namespace: string;
  models: number;
  publications: number;
}

/**
 * The state of the platform on one configured cluster. When the cluster is unreachable, `error`
 * says why, `apiGroups` is empty, the Gateway is not found and every tenant's counts are 0: none of
 * them is known.
 * @public
 */
export interface ClusterOverview {
  cluster: string;
  reachable: boolean;
  error?: string;
  apiGroups: PlatformApiGroup[];
  gateway: PlatformGateway;
  tenants: PlatformTenantCounts[];
}

/**
 * Answer of `GET /platform`, for platform admins only (`inference.admin`): one entry per
 * configured cluster.
 * @public
 */
export interface PlatformOverview {
  clusters: ClusterOverview[];
}
