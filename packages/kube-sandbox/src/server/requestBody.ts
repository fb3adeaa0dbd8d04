import { ServedResource } from '../api/resourceRegistry';
import { isBuiltinKind } from '../schema/builtinKinds';
import { joinApiVersion } from '../schema/kubeVersions';
import { parseBody } from './httpIO';
import {
  decodeProtobufObject,
  PROTOBUF_MEDIA_TYPE,
} from './protobuf/decodeEnvelope';

/**
 * The body of a write request as JSON: protobuf for built-in kinds (what
 * client-go's typed clients, and so kubectl's `create` generators, send),
 * otherwise JSON or YAML. Custom resources have no protobuf form, so the
 * API server (and the sandbox) answers 415 for them.
 */
export function parseRequestBody(
  body: Buffer,
  type: string,
  served: ServedResource,
): unknown {
  if (type === PROTOBUF_MEDIA_TYPE && isBuiltinKind(served.kind)) {
    return decodeProtobufObject(body, {
      apiVersion: joinApiVersion(served.kind.group, served.version.name),
      kind: served.kind.kind,
    });
  }
  return parseBody(body.toString('utf8'), type);
}
