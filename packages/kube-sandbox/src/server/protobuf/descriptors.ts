/**
 * A compact description of the protobuf messages the sandbox decodes: for
 * each field number, the JSON name and type, as the `generated.proto` files
 * of k8s.io/api and k8s.io/apimachinery declare them.
 *
 * Gogo-generated Kubernetes marshallers always write non-pointer fields,
 * even when empty, and pointer fields only when set. JSON drops the zero
 * value of a non-pointer field (`omitempty`) but keeps a set pointer, so a
 * field marked `pointer` keeps its zero value (`replicas: 0`,
 * `immutable: false`).
 */

export type ScalarType = 'string' | 'bytes' | 'bool' | 'int32' | 'int64';

/** A scalar, or the full proto name of a message. */
export type FieldType = ScalarType | { message: string };

export interface FieldDescriptor {
  name: string;
  type: FieldType;
  repeated?: boolean;
  /** `map<string, T>`: `type` is the value type. */
  map?: boolean;
  pointer?: boolean;
}

export type MessageDescriptor = Record<number, FieldDescriptor>;

type Options = { pointer?: boolean };

/** A singular scalar field of the given type. */
const scalar =
  (type: ScalarType) =>
  (name: string, o: Options = {}): FieldDescriptor => ({
    name,
    type,
    ...o,
  });

export const str = scalar('string');
export const bool = scalar('bool');
export const int32 = scalar('int32');
export const int64 = scalar('int64');
export const strings = (name: string): FieldDescriptor => ({
  name,
  type: 'string',
  repeated: true,
});
export const msg = (name: string, message: string): FieldDescriptor => ({
  name,
  type: { message },
});
export const msgs = (name: string, message: string): FieldDescriptor => ({
  name,
  type: { message },
  repeated: true,
});
export const map = (name: string, value: FieldType): FieldDescriptor => ({
  name,
  type: value,
  map: true,
});
