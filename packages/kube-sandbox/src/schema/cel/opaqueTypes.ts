import { CelObjectType, objectType } from '@bufbuild/cel';
import {
  create,
  createFileRegistry,
  createRegistry,
  DescMessage,
  Registry,
} from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { ReflectMessage } from '@bufbuild/protobuf/reflect';

/**
 * The Kubernetes CEL libraries add opaque types (`kubernetes.URL`,
 * `net.IP`; k8s.io/apiserver pkg/cel/types.go). @bufbuild/cel dispatches
 * methods on protobuf message types, so each opaque type is a one-field
 * message, built at runtime, whose `text` holds the value's string form.
 */

const STRING_FIELD = 9;
const OPTIONAL_LABEL = 1;

function opaqueMessage(pkg: string, name: string): DescMessage {
  const file = create(FileDescriptorProtoSchema, {
    name: `kube_sandbox/${pkg}/${name}.proto`,
    package: pkg,
    syntax: 'proto3',
    messageType: [
      {
        name,
        field: [
          {
            name: 'text',
            jsonName: 'text',
            number: 1,
            type: STRING_FIELD,
            label: OPTIONAL_LABEL,
          },
        ],
      },
    ],
  });
  return createFileRegistry(file, () => undefined).getMessage(
    `${pkg}.${name}`,
  )!;
}

export interface OpaqueType {
  desc: DescMessage;
  type: CelObjectType;
  /** A CEL value of this type holding `text`. */
  of(text: string): unknown;
}

function opaqueType(pkg: string, name: string): OpaqueType {
  const desc = opaqueMessage(pkg, name);
  return {
    desc,
    type: objectType(desc),
    of: text => create(desc, { text } as never),
  };
}

export const URL_TYPE = opaqueType('kubernetes', 'URL');
export const IP_TYPE = opaqueType('net', 'IP');

/** The registry the CEL environment needs to evaluate values of the opaque types. */
export const OPAQUE_TYPE_REGISTRY: Registry = createRegistry(
  URL_TYPE.desc,
  IP_TYPE.desc,
);

/** The string form held by an opaque value (the `this` of a method). */
export function opaqueText(value: unknown): string {
  const message = (value as ReflectMessage).message as unknown as {
    text: string;
  };
  return message.text;
}
