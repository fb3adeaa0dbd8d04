import { KubeError } from '../../api/statusErrors';
import { decodeProtobufObject } from './decodeEnvelope';

/** Request bodies kubectl 1.32 sent (`-v=9`), as hex. */
const KUBECTL_CREATE_NAMESPACE_X =
  '6b3873000a0f0a02763112094e616d657370616365' +
  '12190a110a0178120' +
  '01a0022002a00320038004200120' +
  '01a020a001a002200';
const KUBECTL_CREATE_SECRET_USER_ADMIN =
  '6b3873000a0c0a02763112065365637265741' +
  '22b0a180a017312001a0764656661756c7422002a0032003800420012' +
  '0d0a04757365721205616' +
  '46d696e1a001a002200';

const bytes = (hex: string) => Buffer.from(hex, 'hex');

/** A tiny protobuf writer for hand-made messages (lengths below 128). */
const ld = (field: number, payload: Buffer | string) => {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return Buffer.concat([Buffer.from([(field << 3) | 2, body.length]), body]);
};
const varint = (field: number, value: number) =>
  Buffer.from([field << 3, value]);
const entry = (field: number, key: string, value: string | Buffer) =>
  ld(field, Buffer.concat([ld(1, key), ld(2, value)]));
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([
    Buffer.from('k8s\0'),
    ld(1, Buffer.concat([ld(1, apiVersion), ld(2, kind)])),
    ld(2, raw),
  ]);

const NAMESPACE = { apiVersion: 'v1', kind: 'Namespace' };
const SECRET = { apiVersion: 'v1', kind: 'Secret' };

function statusOf(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof KubeError) {
      return { code: error.status.code, message: error.status.message ?? '' };
    }
    throw error;
  }
  throw new Error('expected a KubeError');
}

describe('protobuf request bodies', () => {
  it('decodes what kubectl create namespace and create secret generic send', () => {
    expect(
      decodeProtobufObject(bytes(KUBECTL_CREATE_NAMESPACE_X), NAMESPACE),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'x' },
      spec: {},
      status: {},
    });
    expect(
      decodeProtobufObject(bytes(KUBECTL_CREATE_SECRET_USER_ADMIN), SECRET),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'default' },
      data: { user: Buffer.from('admin').toString('base64') },
    });
  });

  it('decodes labels and annotations maps, bytes, pointers and timestamps', () => {
    const metadata = Buffer.concat([
      ld(1, 'cm'),
      ld(8, varint(1, 100)), // creationTimestamp: 100 s after the epoch
      entry(11, 'app', 'web'),
      entry(11, 'tier', 'front'),
      entry(12, 'note', 'hello'),
      ld(14, 'example.com/cleanup'),
    ]);
    const configMap = Buffer.concat([
      ld(1, metadata),
      entry(2, 'a', 'b'),
      entry(3, 'bin', Buffer.from([0, 255])),
      varint(4, 0), // immutable: false, set explicitly (a pointer field)
    ]);
    expect(
      decodeProtobufObject(envelope('v1', 'ConfigMap', configMap), {
        apiVersion: 'v1',
        kind: 'ConfigMap',
      }),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'cm',
        creationTimestamp: '1970-01-01T00:01:40Z',
        labels: { app: 'web', tier: 'front' },
        annotations: { note: 'hello' },
        finalizers: ['example.com/cleanup'],
      },
      data: { a: 'b' },
      binaryData: { bin: 'AP8=' },
      immutable: false,
    });
  });

  it('decodes ServiceAccounts and DeleteOptions', () => {
    const sa = Buffer.concat([
      ld(1, ld(1, 'robot')),
      ld(3, ld(1, 'registry')),
      varint(4, 1),
    ]);
    expect(
      decodeProtobufObject(envelope('v1', 'ServiceAccount', sa), {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
      }),
    ).toMatchObject({
      metadata: { name: 'robot' },
      imagePullSecrets: [{ name: 'registry' }],
      automountServiceAccountToken: true,
    });
    const options = Buffer.concat([ld(4, 'Foreground'), ld(5, 'All')]);
    expect(
      decodeProtobufObject(envelope('v1', 'DeleteOptions', options), SECRET),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: 'Foreground',
      dryRun: ['All'],
    });
  });

  it('answers 400 for bodies that are not protobuf or are cut short', () => {
    expect(statusOf(() => decodeProtobufObject(bytes(''), NAMESPACE))).toEqual({
      code: 400,
      message:
        'the object provided is unrecognized (must be of type Namespace): empty data',
    });
    expect(
      statusOf(() =>
        decodeProtobufObject(Buffer.from('{"kind":"Namespace"}'), NAMESPACE),
      ),
    ).toEqual({
      code: 400,
      message:
        'the object provided is unrecognized (must be of type Namespace): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    });
    const truncated = bytes(KUBECTL_CREATE_NAMESPACE_X).subarray(0, 30);
    expect(statusOf(() => decodeProtobufObject(truncated, NAMESPACE))).toEqual({
      code: 400,
      message: expect.stringContaining('runs past the end of the data'),
    });
    // A string field holding a varint.
    const wrongType = envelope('v1', 'Namespace', ld(1, varint(1, 5)));
    expect(statusOf(() => decodeProtobufObject(wrongType, NAMESPACE))).toEqual({
      code: 400,
      message:
        'Namespace in version "v1" cannot be handled as a Namespace: field 1 of meta.v1.ObjectMeta has wire type 0, expected 2',
    });
  });

  it('answers 415 for kinds and fields it cannot decode, naming them', () => {
    const pod = statusOf(() =>
      decodeProtobufObject(envelope('v1', 'Pod', ld(1, ld(1, 'p'))), {
        apiVersion: 'v1',
        kind: 'Pod',
      }),
    );
    expect(pod.code).toBe(415);
    expect(pod.message).toContain('Pod in version "v1" was sent');
    expect(pod.message).toContain(
      'the sandbox decodes protobuf only for Namespace, Secret, ConfigMap, ServiceAccount',
    );

    // Field 15 of Namespace does not exist in v1.32: refused rather than dropped.
    const unknownField = envelope(
      'v1',
      'Namespace',
      Buffer.concat([ld(1, ld(1, 'n')), varint(15, 1)]),
    );
    const refused = statusOf(() =>
      decodeProtobufObject(unknownField, NAMESPACE),
    );
    expect(refused.code).toBe(415);
    expect(refused.message).toContain('field 15 of core.v1.Namespace is set');
  });
});
