import { ApiException } from '@kubernetes/client-node';
import { isRetryable, withRetries } from './retry';

const apiError = (code: number) => new ApiException(code, 'failed', '{}', {});
const refused = Object.assign(new Error('connect ECONNREFUSED'), {
  code: 'ECONNREFUSED',
});
const noSleep = async () => {};

describe('isRetryable', () => {
  it.each([
    [429, false, true],
    [503, true, true],
    [503, false, false],
    [500, true, true],
    [409, true, true],
    [409, false, false],
    [404, true, false],
    [422, true, false],
  ])('HTTP %s (idempotent %s) -> %s', (code, idempotent, expected) => {
    expect(isRetryable(apiError(code), idempotent)).toBe(expected);
  });

  it('retries network failures of idempotent calls only', () => {
    expect(isRetryable(refused, true)).toBe(true);
    expect(isRetryable(refused, false)).toBe(false);
    expect(isRetryable(new Error('bug'), true)).toBe(false);
  });
});

describe('withRetries', () => {
  it('stops after maxAttempts and rethrows the last error', async () => {
    const operation = jest.fn().mockRejectedValue(apiError(503));
    await expect(
      withRetries(operation, {
        idempotent: true,
        policy: { maxAttempts: 3, baseDelayMs: 1 },
        sleep: noSleep,
      }),
    ).rejects.toMatchObject({ code: 503 });
    expect(operation).toHaveBeenCalledTimes(3);
  });

  it('returns the first success', async () => {
    const operation = jest
      .fn()
      .mockRejectedValueOnce(apiError(429))
      .mockResolvedValue('ok');
    await expect(
      withRetries(operation, { idempotent: false, sleep: noSleep }),
    ).resolves.toBe('ok');
    expect(operation).toHaveBeenCalledTimes(2);
  });

  it('does not repeat a request the cluster rejected', async () => {
    const operation = jest.fn().mockRejectedValue(apiError(422));
    await expect(
      withRetries(operation, { idempotent: true, sleep: noSleep }),
    ).rejects.toMatchObject({ code: 422 });
    expect(operation).toHaveBeenCalledTimes(1);
  });
});
