import { createHash } from 'node:crypto';

/**
 * Deterministic stand-ins for model output: the same request always gives
 * the same text, vectors and token counts.
 */

/** Token count approximation: whitespace-separated words. */
export function countTokens(text: string): number {
  const words = text
    .trim()
    .split(/\s+/)
    .filter(w => w !== '');
  return words.length;
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/** The reply to a prompt, cut to `maxTokens` words when given. */
export function mockReply(
  model: string,
  prompt: string,
  maxTokens?: number,
): { text: string; truncated: boolean } {
  const full = `Mock reply from ${model}: ${prompt.trim() || '(empty prompt)'}`;
  const words = full.split(/\s+/);
  if (maxTokens !== undefined && maxTokens > 0 && words.length > maxTokens) {
    return { text: words.slice(0, maxTokens).join(' '), truncated: true };
  }
  return { text: full, truncated: false };
}

/** A unit-length embedding derived from the text's SHA-256. */
export function mockEmbedding(text: string, dimensions = 8): number[] {
  const digest = createHash('sha256').update(text).digest();
  const raw = Array.from(
    { length: dimensions },
    (_, i) => digest[i % digest.length] / 255 - 0.5,
  );
  const norm = Math.sqrt(raw.reduce((sum, x) => sum + x * x, 0)) || 1;
  return raw.map(x => Number((x / norm).toFixed(6)));
}

/**
 * An iris-like classifier: four features (sepal length/width, petal
 * length/width) give class 0, 1 or 2 by petal length; other inputs are
 * classified by a hash so the answer is still stable.
 */
export function classify(instance: unknown): number {
  if (
    Array.isArray(instance) &&
    instance.length === 4 &&
    instance.every(x => typeof x === 'number')
  ) {
    const petalLength = instance[2] as number;
    if (petalLength < 2.5) return 0;
    return petalLength < 4.9 ? 1 : 2;
  }
  return parseInt(shortHash(JSON.stringify(instance)).slice(0, 8), 16) % 3;
}
