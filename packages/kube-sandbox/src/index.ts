/**
 * A loopback Kubernetes API server used as a test double for a cluster, and
 * the CRD schema catalogue it validates custom resources with.
 *
 * @packageDocumentation
 */

export * from './schema';
export { startKubeSandbox } from './sandbox';
export type { KubeSandbox, KubeSandboxOptions } from './sandbox';
export type { SandboxStore } from './sandboxStore';
export type { FaultInjector, FaultRule } from './faults/faultInjector';
export type { SeedProblem, SeedReport } from './seed';
export type { AuditEntry, RequestAudit } from './audit/requestAudit';
export type {
  KubeObject,
  ObjectMeta,
  ManagedFieldsEntry,
  FieldsV1,
} from './store/types';
export { startModelServer } from './modelServer/modelServer';
export type {
  ModelServer,
  ModelServerOptions,
} from './modelServer/modelServer';
/** A sample object for the tests of this sandbox and of those built on it. */
export {
  sklearnInferenceService,
  sklearnInferenceServicesIn,
} from './testUtils/sklearnInferenceService';
export type { SklearnInferenceServiceOptions } from './testUtils/sklearnInferenceService';
