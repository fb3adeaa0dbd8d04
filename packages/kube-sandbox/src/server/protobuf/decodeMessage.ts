import { API_MESSAGES } from './apiMessages';
import {
  APIMACHINERY_MESSAGES,
  FIELDS_V1,
  INT_OR_STRING,
  QUANTITY,
  TIME,
} from './apimachineryMessages';
import { FieldDescriptor, FieldType, MessageDescriptor } from './descriptors';
import {
  ProtobufFormatError,
  readFields,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
  WireField,
} from './wireReader';

/**
 * Decodes a protobuf message into the JSON the API server would store for
 * it, driven by the descriptors in apimachineryMessages.ts and
 * apiMessages.ts. Wire values become JSON the way Go's encoding/json writes
 * the decoded struct: bytes as base64, `Time` as RFC 3339 (its zero value
 * left out), `Quantity` as its string, `IntOrString` as a number or string,
 * `FieldsV1` as its JSON, zero scalars of non-pointer fields left out.
 */

type Json = Record<string, unknown>;

/** A field or message the sandbox has no description for (answered with 415). */
export class UnsupportedProtobufError extends Error {}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

const MESSAGES: Record<string, MessageDescriptor> = {
  ...APIMACHINERY_MESSAGES,
  ...API_MESSAGES,
};

export function isKnownMessage(name: string): boolean {
  return name in MESSAGES;
}

function shortName(message: string): string {
  return message.replace(/^k8s\.io\.(apimachinery\.pkg\.(apis\.)?|api\.)/, '');
}

function expectWireType(field: WireField, wireType: number, message: string) {
  if (field.wireType !== wireType) {
    throw new ProtobufFormatError(
      `field ${field.fieldNumber} of ${shortName(message)} has wire type ${
        field.wireType
      }, expected ${wireType}`,
    );
  }
}

function scalar(
  field: WireField,
  type: Exclude<FieldType, { message: string }>,
  message: string,
): unknown {
  switch (type) {
    case 'string':
      expectWireType(field, WIRE_LENGTH_DELIMITED, message);
      try {
        return UTF8.decode(field.bytes);
      } catch {
        throw new ProtobufFormatError(
          `field ${field.fieldNumber} of ${shortName(
            message,
          )} is not valid UTF-8`,
        );
      }
    case 'bytes':
      expectWireType(field, WIRE_LENGTH_DELIMITED, message);
      return Buffer.from(field.bytes!).toString('base64');
    case 'bool':
      expectWireType(field, WIRE_VARINT, message);
      return field.varint !== 0n;
    case 'int32':
      expectWireType(field, WIRE_VARINT, message);
      return Number(BigInt.asIntN(32, field.varint!));
    default:
      expectWireType(field, WIRE_VARINT, message);
      return Number(BigInt.asIntN(64, field.varint!));
  }
}

function isZero(decoded: unknown): boolean {
  return decoded === '' || decoded === 0 || decoded === false;
}

/** The JSON form of the special messages; undefined leaves the field out. */
function special(message: string, raw: Json): unknown {
  switch (message) {
    case TIME: {
      const seconds = (raw.seconds as number | undefined) ?? 0;
      if (seconds === 0 && !raw.nanos) return undefined;
      return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    case QUANTITY:
      return raw.string ?? '';
    case INT_OR_STRING:
      return raw.type === 1 ? raw.strVal ?? '' : raw.intVal ?? 0;
    case FIELDS_V1:
      try {
        return JSON.parse(
          Buffer.from((raw.Raw as string) ?? '', 'base64').toString('utf8') ||
            '{}',
        );
      } catch {
        throw new ProtobufFormatError('FieldsV1 is not valid JSON');
      }
    default:
      return raw;
  }
}

function value(field: WireField, type: FieldType, message: string): unknown {
  if (typeof type === 'string') return scalar(field, type, message);
  expectWireType(field, WIRE_LENGTH_DELIMITED, message);
  return decodeMessage(field.bytes!, type.message);
}

function mapEntry(
  field: WireField,
  descriptor: FieldDescriptor,
  message: string,
): [string, unknown] {
  expectWireType(field, WIRE_LENGTH_DELIMITED, message);
  let key = '';
  let entryValue: unknown;
  for (const part of readFields(field.bytes!)) {
    if (part.fieldNumber === 1) key = scalar(part, 'string', message) as string;
    else if (part.fieldNumber === 2) {
      entryValue = value(part, descriptor.type, message);
    }
  }
  if (entryValue === undefined) {
    entryValue =
      typeof descriptor.type === 'string'
        ? ''
        : decodeMessage(new Uint8Array(), descriptor.type.message);
  }
  return [key, entryValue];
}

/** True when an undescribed field carries nothing (an empty string, message or zero). */
function isEmptyOnWire(field: WireField): boolean {
  if (field.wireType === WIRE_VARINT) return field.varint === 0n;
  if (field.wireType === WIRE_LENGTH_DELIMITED)
    return field.bytes!.length === 0;
  return false;
}

/** Decodes one message of the named type. */
export function decodeMessage(bytes: Uint8Array, message: string): unknown {
  const descriptor = MESSAGES[message];
  if (!descriptor) {
    throw new UnsupportedProtobufError(
      `the sandbox cannot decode protobuf messages of type ${shortName(
        message,
      )}`,
    );
  }
  const result: Json = {};
  for (const field of readFields(bytes)) {
    const described = descriptor[field.fieldNumber];
    if (!described) {
      if (isEmptyOnWire(field)) continue;
      throw new UnsupportedProtobufError(
        `field ${field.fieldNumber} of ${shortName(
          message,
        )} is set, and the sandbox's protobuf decoder does not know it`,
      );
    }
    const { name } = described;
    if (described.map) {
      const [key, entry] = mapEntry(field, described, message);
      result[name] = { ...((result[name] as Json) ?? {}), [key]: entry };
    } else if (described.repeated) {
      const item = value(field, described.type, message);
      result[name] = [...((result[name] as unknown[]) ?? []), item];
    } else {
      const decoded = value(field, described.type, message);
      if (decoded === undefined) delete result[name];
      else if (isZero(decoded) && !described.pointer) delete result[name];
      else result[name] = decoded;
    }
  }
  return special(message, result);
}
