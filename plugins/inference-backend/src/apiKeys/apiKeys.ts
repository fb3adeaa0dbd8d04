import { randomBytes } from 'node:crypto';
import type { ApiKeyInfo } from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ANNOTATION_API_KEYS,
  PublicationApiKey,
} from '../publication/build/types';

/** Recognisable prefix, so leaked keys can be found by secret scanners. */
export const API_KEY_PREFIX = 'iib_';
/** Bytes of entropy in a key: 32, i.e. 256 bits. */
export const API_KEY_BYTES = 32;
/** The Secret annotation holding key metadata (never key values). */
export const KEY_METADATA_ANNOTATION = ANNOTATION_API_KEYS;

/** A key with its value: exists only while a request creates it and in the Secret. */
export type ApiKeyMaterial = PublicationApiKey;

export function generateApiKey(
  name: string,
  now: Date = new Date(),
): ApiKeyMaterial {
  return {
    id: `key-${randomBytes(6).toString('hex')}`,
    name,
    value: `${API_KEY_PREFIX}${randomBytes(API_KEY_BYTES).toString(
      'base64url',
    )}`,
    createdAt: now.toISOString(),
  };
}

/**
 * What the API shows of a key. With `now`, a key past its expiry is marked `expired` (it still works
 * while it is in the Secret); without, the description is the stored metadata only.
 */
export function describeKey(key: ApiKeyMaterial, now?: Date): ApiKeyInfo {
  return {
    id: key.id,
    name: key.name,
    createdAt: key.createdAt,
    last4: key.value.slice(-4),
    ...(key.expiresAt ? { expiresAt: key.expiresAt } : {}),
    ...(now && isExpired(key, now) ? { expired: true } : {}),
  };
}

/** Past its grace period (the expiry task removes it from the Secret; until then it works). */
export function isExpired(
  key: ApiKeyMaterial,
  now: Date = new Date(),
): boolean {
  return Boolean(key.expiresAt) && new Date(key.expiresAt!) <= now;
}

interface SecretLike {
  metadata?: { annotations?: Record<string, string> };
  data?: Record<string, string>;
}

/**
 * Reads the keys of a publication back from its Secret: values from `data` (base64), metadata from
 * the annotation. Entries without metadata (edited by hand) still count, named after their id.
 */
export function keysFromSecret(
  secret: SecretLike | undefined,
): ApiKeyMaterial[] {
  if (!secret?.data) return [];
  let metadata: ApiKeyInfo[] = [];
  try {
    metadata = JSON.parse(
      secret.metadata?.annotations?.[KEY_METADATA_ANNOTATION] ?? '[]',
    );
  } catch {
    metadata = [];
  }
  const byId = new Map(metadata.map(m => [m.id, m]));
  return Object.entries(secret.data)
    .map(([id, encoded]) => {
      const meta = byId.get(id);
      return {
        id,
        name: meta?.name ?? id,
        value: Buffer.from(encoded, 'base64').toString('utf8'),
        createdAt: meta?.createdAt ?? new Date(0).toISOString(),
        ...(meta?.expiresAt ? { expiresAt: meta.expiresAt } : {}),
      };
    })
    .sort(
      (a, b) =>
        a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
    );
}

/** The metadata annotation for a set of keys. */
export function keyMetadataAnnotation(keys: ApiKeyMaterial[]): string {
  return JSON.stringify(keys.map(k => describeKey(k)));
}

/** Keys still valid at `now`: rotation leaves the old key until its grace period ends. */
export function liveKeys(
  keys: ApiKeyMaterial[],
  now: Date = new Date(),
): ApiKeyMaterial[] {
  return keys.filter(k => !isExpired(k, now));
}
