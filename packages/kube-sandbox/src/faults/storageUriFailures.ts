/**
 * The sandbox's convention for storage URIs that cannot be downloaded, so that tests (and the
 * portal over plain HTTP, a seed file or kubectl) can make a model's pods fail the way a bad
 * `storageUri` makes them fail on a real cluster, without any set-up call: KServe's
 * storage-initializer init container exits 1 and the Pod never becomes Ready (see
 * controllers/workloads/kubelet.ts for what is reported, and the README, "Fault injection").
 *
 * A storage URI fails when its host (the bucket, storage account or server) is `unreachable` or
 * ends in `.invalid` (RFC 2606 reserves the top-level domain `invalid` for names that can never
 * resolve), e.g. `gs://unreachable/iris`, `s3://unreachable/models/x`,
 * `https://models.invalid/model.joblib`. Any other URI downloads fine. `pvc://` and `oci://` URIs
 * never fail: KServe mounts them without a storage-initializer.
 *
 * A model that becomes Ready but fails every request is the other storage URI convention:
 * servingErrors.ts (host `serving-errors`).
 */
export function isUnreachableStorageUri(uri: string): boolean {
  if (/^(pvc|oci):\/\//.test(uri)) return false;
  const host = storageUriHost(uri);
  if (host === undefined) return false;
  return (
    host === 'unreachable' || host.endsWith('.invalid') || host === 'invalid'
  );
}

/** The host of a storage URI (bucket, storage account or server), without user or port. */
export function storageUriHost(uri: string): string | undefined {
  const match = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(uri);
  if (!match) return undefined;
  return match[1].replace(/^[^@]*@/, '').replace(/:\d+$/, '');
}
