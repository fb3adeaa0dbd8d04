/**
 * A minimal reader of the protobuf wire format
 * (https://protobuf.dev/programming-guides/encoding/): varints, 64- and
 * 32-bit fixed values and length-delimited fields. Groups (wire types 3
 * and 4) are not used by Kubernetes and are rejected.
 */

export class ProtobufFormatError extends Error {}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

/** One field as it appears on the wire. */
export interface WireField {
  fieldNumber: number;
  wireType: number;
  /** The varint (as a 64-bit two's complement value) for wire type 0. */
  varint?: bigint;
  /** The payload for length-delimited and fixed-size fields. */
  bytes?: Uint8Array;
}

export class WireReader {
  #pos = 0;
  constructor(readonly buffer: Uint8Array) {}

  get done(): boolean {
    return this.#pos >= this.buffer.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.#pos >= this.buffer.length) {
        throw new ProtobufFormatError('unexpected end of data in a varint');
      }
      const byte = this.buffer[this.#pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new ProtobufFormatError('varint longer than 10 bytes');
  }

  #take(length: number): Uint8Array {
    if (length < 0 || this.#pos + length > this.buffer.length) {
      throw new ProtobufFormatError(
        `field length ${length} runs past the end of the data`,
      );
    }
    const bytes = this.buffer.subarray(this.#pos, this.#pos + length);
    this.#pos += length;
    return bytes;
  }

  /** Reads the next field (tag and payload). */
  field(): WireField {
    const tag = this.varint();
    const fieldNumber = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (fieldNumber === 0) {
      throw new ProtobufFormatError('field number 0 is not valid');
    }
    switch (wireType) {
      case WIRE_VARINT:
        return { fieldNumber, wireType, varint: this.varint() };
      case WIRE_FIXED64:
        return { fieldNumber, wireType, bytes: this.#take(8) };
      case WIRE_LENGTH_DELIMITED:
        return {
          fieldNumber,
          wireType,
          bytes: this.#take(Number(this.varint())),
        };
      case WIRE_FIXED32:
        return { fieldNumber, wireType, bytes: this.#take(4) };
      default:
        throw new ProtobufFormatError(
          `unsupported wire type ${wireType} for field ${fieldNumber}`,
        );
    }
  }
}

/** Every field of a message, in wire order. */
export function readFields(bytes: Uint8Array): WireField[] {
  const reader = new WireReader(bytes);
  const fields: WireField[] = [];
  while (!reader.done) fields.push(reader.field());
  return fields;
}
