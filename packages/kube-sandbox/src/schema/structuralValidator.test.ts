import { checkStructural } from './structuralValidator';
import { JsonSchemaProps } from './types';

const schema: JsonSchemaProps = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['mode'],
      properties: {
        mode: { type: 'string', enum: ['Fast', 'Slow'] },
        name: {
          type: 'string',
          pattern: '^[a-z]+$',
          minLength: 2,
          maxLength: 5,
        },
        replicas: { type: 'integer', minimum: 1, maximum: 3, default: 1 },
        port: {
          'x-kubernetes-int-or-string': true,
          anyOf: [{ type: 'integer' }, { type: 'string' }],
        },
        ratio: { type: 'number', nullable: true },
        when: { type: 'string', format: 'date-time' },
        tags: {
          type: 'array',
          items: { type: 'string' },
          maxItems: 2,
          'x-kubernetes-list-type': 'set',
        },
        ports: {
          type: 'array',
          minItems: 1,
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            required: ['name'],
            properties: {
              name: { type: 'string' },
              protocol: { type: 'string', default: 'TCP' },
            },
          },
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        config: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
        },
        either: {
          type: 'object',
          properties: { a: { type: 'string' }, b: { type: 'string' } },
          oneOf: [{ required: ['a'] }, { required: ['b'] }],
        },
      },
    },
  },
};

function check(spec: Record<string, unknown>) {
  const object = {
    apiVersion: 'x/v1',
    kind: 'X',
    metadata: { name: 'n', anything: 1 },
    spec,
  };
  const result = checkStructural(schema, object);
  return { ...result, object };
}

describe('checkStructural', () => {
  it('accepts a valid object and applies defaults, including inside list items', () => {
    const { causes, unknownFields, object } = check({
      mode: 'Fast',
      ports: [{ name: 'http' }],
    });
    expect(causes).toEqual([]);
    expect(unknownFields).toEqual([]);
    expect(object.spec).toEqual({
      mode: 'Fast',
      replicas: 1,
      ports: [{ name: 'http', protocol: 'TCP' }],
    });
    // metadata is left to the metadata checks, never pruned here
    expect(object.metadata).toEqual({ name: 'n', anything: 1 });
  });

  it('reports a missing required field', () => {
    expect(check({}).causes).toEqual([
      {
        reason: 'FieldValueRequired',
        field: 'spec.mode',
        message: 'Required value',
      },
    ]);
  });

  it('reports a wrong type with the kube-openapi message', () => {
    expect(check({ mode: 'Fast', replicas: 'two' }).causes).toEqual([
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.replicas',
        message:
          'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      },
    ]);
    expect(check({ mode: 'Fast', replicas: 1.5 }).causes[0].reason).toBe(
      'FieldValueTypeInvalid',
    );
  });

  it('reports enum, pattern, length and range violations', () => {
    const { causes } = check({ mode: 'Medium', name: 'ABCDEF', replicas: 0 });
    expect(causes).toEqual(
      expect.arrayContaining([
        {
          reason: 'FieldValueNotSupported',
          field: 'spec.mode',
          message:
            'Unsupported value: "Medium": supported values: "Fast", "Slow"',
        },
        {
          reason: 'FieldValueInvalid',
          field: 'spec.name',
          message: `Invalid value: "ABCDEF": spec.name in body should match '^[a-z]+$'`,
        },
        {
          reason: 'FieldValueTooLong',
          field: 'spec.name',
          message: 'Too long: may not be more than 5 bytes',
        },
        {
          reason: 'FieldValueInvalid',
          field: 'spec.replicas',
          message:
            'Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
        },
      ]),
    );
    expect(causes).toHaveLength(4);
    expect(check({ mode: 'Fast', replicas: 4 }).causes[0].message).toContain(
      'should be less than or equal to 3',
    );
    expect(check({ mode: 'Fast', name: 'a' }).causes[0].message).toContain(
      'should be at least 2 chars long',
    );
  });

  it('accepts int-or-string values and rejects other types', () => {
    expect(check({ mode: 'Fast', port: 8080 }).causes).toEqual([]);
    expect(check({ mode: 'Fast', port: 'http' }).causes).toEqual([]);
    expect(check({ mode: 'Fast', port: true }).causes).toEqual([
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.port',
        message:
          'Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
      },
    ]);
  });

  it('keeps unknown fields under preserve-unknown-fields and prunes them elsewhere', () => {
    const { causes, unknownFields, object } = check({
      mode: 'Fast',
      config: { deep: { any: ['thing'] } },
      foo: 1,
      ports: [{ name: 'a', bar: true }],
    });
    expect(causes).toEqual([]);
    expect(unknownFields).toEqual(['spec.foo', 'spec.ports[0].bar']);
    expect(object.spec).toMatchObject({ config: { deep: { any: ['thing'] } } });
    expect(object.spec).not.toHaveProperty('foo');
    expect((object.spec as any).ports[0]).not.toHaveProperty('bar');
  });

  it('drops nulls of non-nullable fields but keeps nullable ones', () => {
    const { causes, object } = check({ mode: 'Fast', ratio: null, name: null });
    expect(causes).toEqual([]);
    expect(object.spec).toEqual({ mode: 'Fast', replicas: 1, ratio: null });
  });

  it('checks formats, map values, list sets and map keys', () => {
    const { causes } = check({
      mode: 'Fast',
      when: 'yesterday',
      labels: { a: 1 },
      tags: ['x', 'x', 'y'],
      ports: [{ name: 'a' }, { name: 'a' }],
    });
    expect(causes.map(c => [c.reason, c.field])).toEqual([
      ['FieldValueTypeInvalid', 'spec.when'],
      ['FieldValueTypeInvalid', 'spec.labels.a'],
      ['FieldValueTooMany', 'spec.tags'],
      ['FieldValueDuplicate', 'spec.tags[1]'],
      ['FieldValueDuplicate', 'spec.ports[1]'],
    ]);
    expect(
      check({ mode: 'Fast', when: '2026-11-27T10:00:00Z' }).causes,
    ).toEqual([]);
    expect(check({ mode: 'Fast', ports: [] }).causes[0].message).toContain(
      'should have at least 1 items',
    );
  });

  it('evaluates oneOf branches without pruning', () => {
    expect(check({ mode: 'Fast', either: { a: 'x' } }).causes).toEqual([]);
    const none = check({ mode: 'Fast', either: {} }).causes;
    expect(none).toHaveLength(1);
    expect(none[0]).toMatchObject({
      reason: 'FieldValueInvalid',
      field: 'spec.either',
    });
    expect(none[0].message).toContain(
      'must validate one and only one schema (oneOf)',
    );
    expect(
      check({ mode: 'Fast', either: { a: 'x', b: 'y' } }).causes,
    ).toHaveLength(1);
  });
});
