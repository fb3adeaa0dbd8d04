import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject } from '../../store/types';
import { Json } from '../controllerKit';
import { CONTAINER_NAME, STORAGE_URI_ANNOTATION } from './predictorComponent';

/**
 * KServe's pod mutating webhook, reduced to the storage-initializer it injects into a predictor's
 * Pods, re-expressed from kserve/kserve v0.20.0 pkg/webhook/admission/pod/
 * storage_initializer_injector.go (`InjectStorageInitializer`, `CommonStorageInitialization`, the
 * single-URI path) and pkg/utils/storage.go (`CreateInitContainerWithConfig`, `AddModelMount`),
 * with the chart's defaults (charts/kserve-resources/values.yaml `kserve.storage`: image
 * `kserve/storage-initializer`, tag defaulting to the KServe version, requests 100m/100Mi, limits
 * 1/1Gi). A Pod whose `internal.serving.kserve.io/storage-initializer-sourceuri` annotation names a
 * URI that is not `pvc://` (mounted directly) or `oci://` (a modelcar) gets the init container
 * `storage-initializer` with args `[<uri>, /mnt/models]` and `terminationMessagePolicy:
 * FallbackToLogsOnError`, the emptyDir volume `kserve-provision-location` mounted at `/mnt/models`
 * in it and, read-only (the default of `GetStorageInitializerReadOnlyFlag`), in
 * `kserve-container`. Not simulated: credentials from the service account, CA bundles, storage
 * containers (ClusterStorageContainer), PVC and modelcar mounts, the agent.
 */

export const STORAGE_INITIALIZER = 'storage-initializer';
const VOLUME = 'kserve-provision-location';
const MOUNT_PATH = '/mnt/models';
const IMAGE = 'kserve/storage-initializer:v0.20.0';

const mountsOf = (container: Json): Json[] =>
  Array.isArray(container.volumeMounts)
    ? container.volumeMounts.filter(isPlainObject)
    : [];

/** The Pod as KServe's webhook admits it: with the storage-initializer when its storage URI needs one. */
export function injectStorageInitializer(pod: KubeObject): KubeObject {
  const uri = pod.metadata.annotations?.[STORAGE_URI_ANNOTATION];
  if (!uri || uri.startsWith('pvc://') || uri.startsWith('oci://')) return pod;
  const spec: Json = isPlainObject(pod.spec) ? pod.spec : {};
  const containers = Array.isArray(spec.containers)
    ? spec.containers.filter(isPlainObject)
    : [];
  const initContainers = Array.isArray(spec.initContainers)
    ? spec.initContainers.filter(isPlainObject)
    : [];
  // Upstream fails the admission without a kserve-container; the sandbox leaves such a Pod alone.
  if (
    !containers.some(c => c.name === CONTAINER_NAME) ||
    initContainers.some(c => c.name === STORAGE_INITIALIZER)
  ) {
    return pod;
  }
  const mount = (readOnly: boolean) => ({
    name: VOLUME,
    mountPath: MOUNT_PATH,
    readOnly,
  });
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  return {
    ...pod,
    spec: {
      ...spec,
      initContainers: [
        ...initContainers,
        {
          name: STORAGE_INITIALIZER,
          image: IMAGE,
          args: [uri, MOUNT_PATH],
          terminationMessagePolicy: 'FallbackToLogsOnError',
          resources: {
            limits: { cpu: '1', memory: '1Gi' },
            requests: { cpu: '100m', memory: '100Mi' },
          },
          volumeMounts: [mount(false)],
        },
      ],
      containers: containers.map(c =>
        c.name === CONTAINER_NAME
          ? { ...c, volumeMounts: [...mountsOf(c), mount(true)] }
          : c,
      ),
      volumes: [...volumes, { name: VOLUME, emptyDir: {} }],
    },
  };
}

/** The storage URI a Pod's storage-initializer downloads (its first argument), if it has one. */
export function storageInitializerUri(pod: KubeObject): string | undefined {
  const spec: Json = isPlainObject(pod.spec) ? pod.spec : {};
  const initContainers = Array.isArray(spec.initContainers)
    ? spec.initContainers.filter(isPlainObject)
    : [];
  const initializer = initContainers.find(c => c.name === STORAGE_INITIALIZER);
  const args = Array.isArray(initializer?.args) ? initializer!.args : [];
  return typeof args[0] === 'string' ? args[0] : undefined;
}

/**
 * What the kubelet keeps as the termination message of a storage-initializer that found nothing
 * at `uri`: with `FallbackToLogsOnError`, the tail of its log. The lines are those of
 * python/storage-initializer/scripts/initializer-entrypoint (v0.20.0) in the format of
 * python/storage/kserve_storage/logging.py, ending with the error `Storage.download_files` raises
 * when a bucket holds no model (kserve_storage.py: `Failed to fetch model. No model found in
 * <uri>.`).
 */
export function storageInitializerFailureLog(uri: string, at: Date): string {
  const time = at.toISOString().replace('T', ' ').slice(0, 23);
  const line = (level: string, lineNo: number, message: string) =>
    `${time} 1 storage.initializer ${level} [initializer-entrypoint:<module>():${lineNo}] ${message}`;
  return [
    line(
      'INFO',
      17,
      `Initializing, args: (src_uri, dest_path): [('${uri}', '${MOUNT_PATH}')]`,
    ),
    line(
      'ERROR',
      28,
      `Storage initialization failed: Failed to fetch model. No model found in ${uri}.`,
    ),
  ].join('\n');
}
