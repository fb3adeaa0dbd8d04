import { apiKeyCreateSchema, apiKeyRotateSchema } from './apiKeys';
import { formatZodError } from './formatZodError';

function createErrors(body: unknown) {
  const result = apiKeyCreateSchema.safeParse(body);
  return result.success ? [] : formatZodError(result.error);
}

describe('apiKeyCreateSchema', () => {
  it('accepts DNS-label-like names up to 63 characters', () => {
    expect(apiKeyCreateSchema.parse({ name: 'ci-runner-1' })).toEqual({
      name: 'ci-runner-1',
    });
    expect(apiKeyCreateSchema.safeParse({ name: 'k'.repeat(63) }).success).toBe(
      true,
    );
  });

  it.each(['', 'k'.repeat(64), 'CI', 'ci_runner', 'ci runner', '-ci', 'ci\n'])(
    'rejects %p',
    name => {
      expect(createErrors({ name }).map(e => e.field)).toContain('name');
    },
  );

  it('rejects unknown fields such as a caller-chosen key value', () => {
    expect(createErrors({ name: 'ci', key: 'sk-mine' })).toEqual([
      { field: 'key', message: 'is not a known field' },
    ]);
  });
});

describe('apiKeyRotateSchema', () => {
  it('accepts 0 to 604800 seconds', () => {
    expect(apiKeyRotateSchema.safeParse({ graceSeconds: 0 }).success).toBe(
      true,
    );
    expect(apiKeyRotateSchema.safeParse({ graceSeconds: 604800 }).success).toBe(
      true,
    );
  });

  it.each([-1, 604801, 1.5, '60'])('rejects %p', graceSeconds => {
    expect(apiKeyRotateSchema.safeParse({ graceSeconds }).success).toBe(false);
  });
});
