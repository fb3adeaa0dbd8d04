import { badRequest, KubeError } from '../../api/statusErrors';
import {
  CONFIG_MAP,
  DEPLOYMENT,
  NAMESPACE,
  RESOURCE_QUOTA,
  SECRET,
  SERVICE,
  SERVICE_ACCOUNT,
} from './apiMessages';
import { DELETE_OPTIONS, UNKNOWN } from './apimachineryMessages';
import { decodeMessage, UnsupportedProtobufError } from './decodeMessage';
import { ProtobufFormatError } from './wireReader';

/**
 * Decodes a `application/vnd.kubernetes.protobuf` request body, as
 * k8s.io/apimachinery pkg/runtime/serializer/protobuf/protobuf.go (v0.32)
 * frames it: the 4-byte magic `k8s\0`, then a `runtime.Unknown` whose
 * `typeMeta` names the apiVersion and kind and whose `raw` holds the typed
 * message (k8s.io/api generated.proto). The result is the object as JSON,
 * which the rest of the sandbox handles like a JSON body.
 */

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** Kinds (any group version for DeleteOptions) whose messages are described. */
const ROOT_MESSAGES: Record<string, string> = {
  'v1/Namespace': NAMESPACE,
  'v1/Secret': SECRET,
  'v1/ConfigMap': CONFIG_MAP,
  'v1/ServiceAccount': SERVICE_ACCOUNT,
  'v1/Service': SERVICE,
  'v1/ResourceQuota': RESOURCE_QUOTA,
  'apps/v1/Deployment': DEPLOYMENT,
};

function rootMessage(apiVersion: string, kind: string): string | undefined {
  if (kind === 'DeleteOptions') return DELETE_OPTIONS;
  return ROOT_MESSAGES[`${apiVersion}/${kind}`];
}

const SUPPORTED_KINDS =
  'Namespace, Secret, ConfigMap, ServiceAccount, Service, ResourceQuota, apps/v1 Deployment and DeleteOptions';

function unsupported(detail: string): KubeError {
  return KubeError.of(
    415,
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml; ${detail} (the sandbox decodes protobuf only for ${SUPPORTED_KINDS}; send other objects as JSON or YAML, e.g. kubectl create -f)`,
    'UnsupportedMediaType',
  );
}

interface Envelope {
  typeMeta?: { apiVersion?: string; kind?: string };
  raw?: string;
  contentEncoding?: string;
}

/**
 * The object in a protobuf body. `expected` (the kind the URL addresses)
 * names the kind in errors and fills in an envelope without a kind, as the
 * API server defaults it from the request.
 */
export function decodeProtobufObject(
  body: Uint8Array,
  expected: { apiVersion: string; kind: string },
): unknown {
  // Upstream's wording (handlers/rest.go transformDecodeError), without the data summary.
  const malformed = (reason: string) =>
    badRequest(
      `the object provided is unrecognized (must be of type ${expected.kind}): ${reason}`,
    );
  if (body.length === 0) throw malformed('empty data');
  if (body.length < MAGIC.length || MAGIC.some((b, i) => body[i] !== b)) {
    throw malformed(
      `provided data does not appear to be a protobuf message, expected prefix [${MAGIC.join(
        ' ',
      )}]`,
    );
  }
  let envelope: Envelope;
  try {
    envelope = decodeMessage(body.subarray(MAGIC.length), UNKNOWN) as Envelope;
  } catch (error) {
    if (error instanceof ProtobufFormatError) throw malformed(error.message);
    throw error;
  }
  if (envelope.contentEncoding) {
    throw unsupported(`content encoding "${envelope.contentEncoding}"`);
  }
  const apiVersion = envelope.typeMeta?.apiVersion || expected.apiVersion;
  const kind = envelope.typeMeta?.kind || expected.kind;
  const message = rootMessage(apiVersion, kind);
  if (!message)
    throw unsupported(`${kind} in version "${apiVersion}" was sent`);
  const raw = Buffer.from(envelope.raw ?? '', 'base64');
  try {
    const object = decodeMessage(raw, message) as Record<string, unknown>;
    return { apiVersion, kind, ...object };
  } catch (error) {
    if (error instanceof ProtobufFormatError) {
      throw badRequest(
        `${kind} in version "${apiVersion}" cannot be handled as a ${expected.kind}: ${error.message}`,
      );
    }
    if (error instanceof UnsupportedProtobufError) {
      throw unsupported(`${kind}: ${error.message}`);
    }
    throw error;
  }
}
