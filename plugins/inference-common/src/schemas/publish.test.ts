import { formatZodError } from './formatZodError';
import { publishRequestSchema } from './publish';

const valid = {
  publicModelName: 'llama-3.1-8b',
  auth: { apiKey: true },
  limits: {
    requestsPerMinute: 60,
    requestsPerHour: 3600,
    tokensPerHour: 100000,
  },
};

function errorsOf(body: unknown) {
  const result = publishRequestSchema.safeParse(body);
  return result.success ? [] : formatZodError(result.error);
}

describe('publishRequestSchema', () => {
  it('accepts a complete request', () => {
    expect(
      publishRequestSchema.parse({
        ...valid,
        hostname: 'llm.inference-in-a-box',
        auth: { apiKey: true, jwt: true },
        modelType: 'openai',
      }),
    ).toMatchObject({
      hostname: 'llm.inference-in-a-box',
      auth: { jwt: true },
    });
  });

  it('accepts an empty limits object (no limits)', () => {
    expect(errorsOf({ ...valid, limits: {} })).toEqual([]);
  });

  it('requires API keys', () => {
    expect(errorsOf({ ...valid, auth: { apiKey: false } })).toEqual([
      { field: 'auth.apiKey', message: 'API keys are always required' },
    ]);
    expect(errorsOf({ ...valid, auth: {} })).toEqual([
      { field: 'auth.apiKey', message: 'API keys are always required' },
    ]);
  });

  it.each([
    ['requestsPerMinute', 0],
    ['requestsPerMinute', 10_001],
    ['requestsPerHour', 100_001],
    ['tokensPerHour', 999],
    ['tokensPerHour', 10_000_001],
    ['requestsPerMinute', 1.5],
  ])('rejects %s = %p', (field, value) => {
    const errors = errorsOf({
      ...valid,
      limits: { [field]: value },
    });
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe(`limits.${field}`);
  });

  it('accepts the bounds themselves', () => {
    for (const limits of [
      { requestsPerMinute: 1, requestsPerHour: 1, tokensPerHour: 1000 },
      {
        requestsPerMinute: 10_000,
        requestsPerHour: 100_000,
        tokensPerHour: 10_000_000,
      },
    ]) {
      expect(errorsOf({ ...valid, limits })).toEqual([]);
    }
  });

  it('requires requests per minute not to exceed requests per hour, but allows rpm*60 > rph', () => {
    expect(
      errorsOf({
        ...valid,
        limits: { requestsPerMinute: 100, requestsPerHour: 99 },
      }),
    ).toEqual([
      {
        field: 'limits.requestsPerMinute',
        message: 'must not be more than the requests per hour',
      },
    ]);
    expect(
      errorsOf({
        ...valid,
        limits: { requestsPerMinute: 100, requestsPerHour: 100 },
      }),
    ).toEqual([]);
  });

  it('rejects unknown fields at every level', () => {
    expect(
      errorsOf({
        ...valid,
        extra: 1,
        auth: { apiKey: true, basic: true },
        limits: { requestsPerDay: 5 },
      }).map(e => e.field),
    ).toEqual(
      expect.arrayContaining(['extra', 'auth.basic', 'limits.requestsPerDay']),
    );
  });

  it.each([
    'Llama',
    '-llama',
    'llama-',
    'llama/3',
    'a'.repeat(64),
    'llama\r\nx-api-key: stolen',
  ])('rejects public model name %p', name => {
    expect(errorsOf({ ...valid, publicModelName: name })[0]?.field).toBe(
      'publicModelName',
    );
  });

  it.each([
    '*.example.com',
    'Example.com',
    'api.example.com\n',
    'a b.com',
    'x'.repeat(254),
  ])('rejects hostname %p', hostname => {
    expect(errorsOf({ ...valid, hostname }).map(e => e.field)).toContain(
      'hostname',
    );
  });

  it('rejects CR, LF and NUL with a clear message', () => {
    expect(errorsOf({ ...valid, publicModelName: 'a\0b' })).toContainEqual({
      field: 'publicModelName',
      message: 'must not contain line breaks or NUL characters',
    });
  });

  it('rejects an unknown model type', () => {
    expect(errorsOf({ ...valid, modelType: 'chat' })[0].field).toBe(
      'modelType',
    );
  });
});
