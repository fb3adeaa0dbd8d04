import {
  API_KEY_PREFIX,
  describeKey,
  generateApiKey,
  keyMetadataAnnotation,
  keysFromSecret,
  KEY_METADATA_ANNOTATION,
  liveKeys,
} from './apiKeys';

describe('API keys', () => {
  it('carry the prefix and at least 32 bytes of randomness, and never repeat', () => {
    const keys = Array.from({ length: 50 }, () => generateApiKey('ci'));
    for (const key of keys) {
      expect(key.value.startsWith(API_KEY_PREFIX)).toBe(true);
      expect(
        Buffer.from(key.value.slice(API_KEY_PREFIX.length), 'base64url').length,
      ).toBeGreaterThanOrEqual(32);
      expect(key.id).toMatch(/^key-[0-9a-f]{12}$/);
    }
    expect(new Set(keys.map(k => k.value)).size).toBe(50);
    expect(new Set(keys.map(k => k.id)).size).toBe(50);
  });

  it('are described by id, name, creation time and last four characters only', () => {
    const key = generateApiKey('laptop', new Date('2026-01-01T00:00:00Z'));
    const info = describeKey(key);
    expect(info).toEqual({
      id: key.id,
      name: 'laptop',
      createdAt: '2026-01-01T00:00:00.000Z',
      last4: key.value.slice(-4),
    });
    expect(JSON.stringify(info)).not.toContain(key.value);
    expect(keyMetadataAnnotation([key])).not.toContain(key.value);
  });

  it('round-trip through a Secret', () => {
    const a = generateApiKey('a', new Date('2026-01-01T00:00:00Z'));
    const b = {
      ...generateApiKey('b', new Date('2026-01-02T00:00:00Z')),
      expiresAt: '2026-01-03T00:00:00.000Z',
    };
    const secret = {
      metadata: {
        annotations: {
          [KEY_METADATA_ANNOTATION]: keyMetadataAnnotation([b, a]),
        },
      },
      data: Object.fromEntries(
        [b, a].map(k => [k.id, Buffer.from(k.value).toString('base64')]),
      ),
    };
    expect(keysFromSecret(secret)).toEqual([a, b]);
    expect(liveKeys([a, b], new Date('2026-01-02T12:00:00Z'))).toEqual([a, b]);
    expect(liveKeys([a, b], new Date('2026-01-03T12:00:00Z'))).toEqual([a]);
  });

  it('tolerates a Secret without metadata or data', () => {
    expect(keysFromSecret(undefined)).toEqual([]);
    expect(
      keysFromSecret({
        data: { 'key-1': Buffer.from('iib_x').toString('base64') },
      }),
    ).toEqual([
      {
        id: 'key-1',
        name: 'key-1',
        value: 'iib_x',
        createdAt: new Date(0).toISOString(),
      },
    ]);
  });
});
