import { ResourceService } from '../api/resourceService';
import { KubeError } from '../api/statusErrors';
import { isPlainObject } from '../schema/structuralValidator';
import { KubeObject, StoreEvent } from '../store/types';
import { ACCEPTED_STATUS_BUILDERS } from './acceptedStatus';
import {
  inferenceServiceStatus,
  RuntimeInventory,
} from './inferenceServiceStatus';

const INFERENCE_SERVICES = 'inferenceservices.serving.kserve.io';
const CONTROLLER_MANAGER = 'kube-sandbox-controller';
const DEFAULT_READY_DELAY_MS = 1000;

export interface ControllerOptions {
  /** Delay before an InferenceService (and a route or policy) gets its status. */
  readyDelayMs?: number;
  logger?: (line: string) => void;
}

type StatusBuilder = (object: KubeObject) => Record<string, unknown>;

function runtimeInventory(
  service: ResourceService,
  namespace: string | undefined,
): RuntimeInventory {
  const runtimes = [
    ...service.store.list('servingruntimes.serving.kserve.io', namespace),
    ...service.store.list('clusterservingruntimes.serving.kserve.io'),
  ];
  return {
    runtimeNames: runtimes.map(r => r.metadata.name!),
    modelFormats: runtimes.flatMap(r => {
      const spec = isPlainObject(r.spec) ? r.spec : {};
      const formats = Array.isArray(spec.supportedModelFormats)
        ? spec.supportedModelFormats
        : [];
      return formats.filter(isPlainObject).map(f => String(f.name));
    }),
  };
}

/**
 * Simulates the controllers of a real cluster: after `readyDelayMs`, a new
 * or changed InferenceService gets KServe's status, and routes, policies
 * and backends get Accepted conditions. Status is written through the
 * status subresource, so watchers see MODIFIED events. Returns a stop
 * function.
 */
export function startControllers(
  service: ResourceService,
  options: ControllerOptions = {},
) {
  const delay = options.readyDelayMs ?? DEFAULT_READY_DELAY_MS;
  const log = options.logger ?? (() => {});
  const timers = new Map<string, NodeJS.Timeout>();

  const builderFor = (resource: string): StatusBuilder | undefined => {
    if (resource === INFERENCE_SERVICES) {
      return isvc =>
        inferenceServiceStatus(
          isvc,
          runtimeInventory(service, isvc.metadata.namespace),
        );
    }
    return ACCEPTED_STATUS_BUILDERS[resource];
  };

  const reconcile = (
    resource: string,
    namespace: string | undefined,
    name: string,
  ) => {
    const build = builderFor(resource)!;
    const current = service.store.get(resource, namespace, name);
    if (!current || current.metadata.deletionTimestamp) return;
    const served = service.registry.byKind(current.apiVersion, current.kind);
    if (!served) return;
    try {
      service.update(
        served,
        name,
        { ...current, status: build(current) },
        {
          namespace,
          subresource: 'status',
          fieldManager: CONTROLLER_MANAGER,
          fieldValidation: 'Ignore',
        },
      );
    } catch (error) {
      const detail =
        error instanceof KubeError ? error.status.message : String(error);
      log(
        `controller: status of ${resource} ${namespace}/${name} not written: ${detail}`,
      );
    }
  };

  const unsubscribe = service.store.subscribe((event: StoreEvent) => {
    if (!builderFor(event.resource) || event.type === 'DELETED') return;
    const { namespace, name, generation } = event.object.metadata;
    const specChanged =
      event.type === 'ADDED' ||
      event.previous?.metadata.generation !== generation;
    if (!specChanged) return;
    const key = `${event.resource}/${namespace}/${name}`;
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        reconcile(event.resource, namespace, name!);
      }, delay),
    );
  });

  return () => {
    unsubscribe();
    timers.forEach(timer => clearTimeout(timer));
    timers.clear();
  };
}
