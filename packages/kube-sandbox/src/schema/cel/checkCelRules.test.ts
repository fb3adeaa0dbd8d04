import { JsonSchemaProps } from '../types';
import { celRuleCauses, checkCelRules } from './checkCelRules';

type Rule = Record<string, unknown>;

/** A resource schema whose `spec` has the given properties (and rules). */
function resourceSchema(
  spec: JsonSchemaProps,
  rootRules: Rule[] = [],
): JsonSchemaProps {
  return {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: { type: 'object', ...spec },
    },
    ...(rootRules.length ? { 'x-kubernetes-validations': rootRules } : {}),
  };
}

function resource(spec: unknown, name = 'a') {
  return {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name },
    spec,
  };
}

const itemsSchema = resourceSchema({
  properties: {
    paths: {
      type: 'array',
      items: {
        type: 'object',
        properties: { value: { type: 'string' } },
        'x-kubernetes-validations': [
          { rule: "self.value.startsWith('/')", message: 'must be absolute' },
        ],
      },
    },
  },
});

describe('checkCelRules', () => {
  it('binds self to the node carrying the rule, once per list item, with the index in the field', () => {
    const result = checkCelRules(
      itemsSchema,
      resource({ paths: [{ value: '/ok' }, { value: 'bad' }, { value: 'x' }] }),
    );
    expect(result.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.paths[1]',
        message: 'Invalid value: "object": must be absolute',
      },
      {
        reason: 'FieldValueInvalid',
        field: 'spec.paths[2]',
        message: 'Invalid value: "object": must be absolute',
      },
    ]);
  });

  it('names map entries by key, the root as <nil>, and a rule without message by its text', () => {
    const schema = resourceSchema(
      {
        properties: {
          labels: {
            type: 'object',
            additionalProperties: {
              type: 'string',
              'x-kubernetes-validations': [{ rule: 'self.size() < 4' }],
            },
          },
        },
      },
      [
        {
          rule: "self.metadata.name != 'forbidden'",
          message: 'name is reserved',
        },
      ],
    );
    const result = checkCelRules(
      schema,
      resource({ labels: { app: 'short', tier: 'ok' } }, 'forbidden'),
    );
    expect(result.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: '<nil>',
        message: 'Invalid value: "object": name is reserved',
      },
      {
        reason: 'FieldValueInvalid',
        field: 'spec.labels[app]',
        message: 'Invalid value: "string": failed rule: self.size() < 4',
      },
    ]);
  });

  it('uses messageExpression, and message when it does not give a one-line string', () => {
    const schema = resourceSchema({
      properties: { replicas: { type: 'integer' } },
      'x-kubernetes-validations': [
        {
          rule: 'self.replicas <= 3',
          messageExpression:
            "'replicas must be at most 3, got ' + string(self.replicas)",
        },
        {
          rule: 'self.replicas <= 2',
          message: 'at most 2',
          messageExpression: 'self.replicas',
        },
        {
          rule: 'self.replicas <= 1',
          message: 'at most 1',
          messageExpression: "'  '",
        },
      ],
    });
    expect(
      checkCelRules(schema, resource({ replicas: 5 })).causes.map(
        c => c.message,
      ),
    ).toEqual([
      'Invalid value: "object": replicas must be at most 3, got 5',
      'Invalid value: "object": at most 2',
      'Invalid value: "object": at most 1',
    ]);
  });

  it('appends fieldPath to the field and follows reason', () => {
    const schema = resourceSchema({
      properties: {
        limits: {
          type: 'object',
          properties: { min: { type: 'integer' }, max: { type: 'integer' } },
        },
        tags: { type: 'object', additionalProperties: { type: 'string' } },
      },
      'x-kubernetes-validations': [
        {
          rule: 'self.limits.min <= self.limits.max',
          message: 'max must not be below min',
          fieldPath: '.limits.max',
        },
        {
          rule: "!('team' in self.tags)",
          message: 'team is set by the platform',
          fieldPath: ".tags['team']",
          reason: 'FieldValueForbidden',
        },
        {
          rule: 'has(self.limits.min)',
          message: 'min is needed',
          fieldPath: '.nothing',
          reason: 'FieldValueRequired',
        },
        { rule: 'false', reason: 'FieldValueDuplicate', message: 'ignored' },
      ],
    });
    const result = checkCelRules(
      schema,
      resource({ limits: { max: 1 }, tags: { team: 'x' } }),
    );
    expect(result.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec',
        message:
          'Invalid value: "object": no such key: min evaluating rule: max must not be below min',
      },
      {
        reason: 'FieldValueForbidden',
        field: 'spec.tags[team]',
        message: 'Forbidden: team is set by the platform',
      },
      {
        reason: 'FieldValueRequired',
        field: 'spec',
        message: 'Required value: min is needed',
      },
      {
        reason: 'FieldValueDuplicate',
        field: 'spec',
        message: 'Duplicate value: "object"',
      },
    ]);
    expect(
      checkCelRules(schema, resource({ limits: { min: 3, max: 1 }, tags: {} }))
        .causes,
    ).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.limits.max',
        message: 'Invalid value: "object": max must not be below min',
      },
      {
        reason: 'FieldValueDuplicate',
        field: 'spec',
        message: 'Duplicate value: "object"',
      },
    ]);
  });

  describe('transition rules', () => {
    const schema = resourceSchema({
      properties: {
        size: {
          type: 'integer',
          'x-kubernetes-validations': [
            { rule: 'self >= oldSelf', message: 'size may only grow' },
          ],
        },
        byName: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, port: { type: 'integer' } },
            'x-kubernetes-validations': [
              {
                rule: 'self.port == oldSelf.port',
                message: 'port is immutable',
              },
            ],
          },
        },
        atomic: {
          type: 'array',
          items: {
            type: 'object',
            properties: { port: { type: 'integer' } },
            'x-kubernetes-validations': [
              { rule: 'self.port == oldSelf.port', message: 'never checked' },
            ],
          },
        },
        optional: {
          type: 'string',
          'x-kubernetes-validations': [
            {
              rule: '!oldSelf.hasValue() || oldSelf.value() == self',
              message: 'set once',
              optionalOldSelf: true,
            },
            {
              rule: "oldSelf.hasValue() || self != 'late'",
              message: 'late only on update',
              optionalOldSelf: true,
            },
          ],
        },
      },
    });
    const old = resource({
      size: 5,
      byName: [
        { name: 'a', port: 1 },
        { name: 'b', port: 2 },
      ],
      atomic: [{ port: 1 }],
      optional: 'x',
    });

    it('run only on updates, against the correlated old value', () => {
      expect(
        checkCelRules(schema, resource({ size: 1, atomic: [{ port: 1 }] }))
          .causes,
      ).toEqual([]);
      const updated = resource({
        size: 4,
        byName: [
          { name: 'b', port: 3 },
          { name: 'a', port: 1 },
          { name: 'c', port: 9 },
        ],
        atomic: [{ port: 2 }],
        optional: 'y',
      });
      expect(
        checkCelRules(schema, updated, { oldObject: old, ratcheting: true })
          .causes,
      ).toEqual([
        {
          reason: 'FieldValueInvalid',
          field: 'spec.size',
          message: 'Invalid value: "integer": size may only grow',
        },
        {
          reason: 'FieldValueInvalid',
          field: 'spec.byName[0]',
          message: 'Invalid value: "object": port is immutable',
        },
        {
          reason: 'FieldValueInvalid',
          field: 'spec.optional',
          message: 'Invalid value: "string": set once',
        },
      ]);
    });

    it('with optionalOldSelf also run on create', () => {
      expect(
        checkCelRules(schema, resource({ optional: 'late' })).causes,
      ).toEqual([
        {
          reason: 'FieldValueInvalid',
          field: 'spec.optional',
          message: 'Invalid value: "string": late only on update',
        },
      ]);
    });
  });

  it('ratchets failures on unchanged values of main-resource updates into warnings', () => {
    const old = resource({ paths: [{ value: 'bad' }] });
    const unchanged = resource({ paths: [{ value: 'bad' }] });
    expect(
      checkCelRules(itemsSchema, unchanged, {
        oldObject: old,
        ratcheting: true,
      }),
    ).toEqual({
      causes: [],
      warnings: ['spec.paths[0]: Invalid value: "object": must be absolute'],
    });
    // Status updates at 1.32 do not ratchet; a changed value is an error either way.
    expect(
      checkCelRules(itemsSchema, unchanged, { oldObject: old }).causes,
    ).toHaveLength(1);
    expect(
      checkCelRules(
        itemsSchema,
        resource({ paths: [{ value: 'bad' }, { value: 'worse' }] }),
        { oldObject: old, ratcheting: true },
      ).causes.map(c => c.field),
    ).toEqual(['spec.paths[0]', 'spec.paths[1]']);
  });

  it('maps schema types to CEL types and escapes property names', () => {
    const schema = resourceSchema({
      properties: {
        count: { type: 'integer' },
        ratio: { type: 'number' },
        port: { 'x-kubernetes-int-or-string': true },
        at: { type: 'string', format: 'date-time' },
        timeout: { type: 'string', format: 'duration' },
        namespace: { type: 'string' },
        'max-size': { type: 'integer' },
      },
      'x-kubernetes-validations': [
        { rule: 'type(self.count) == int && self.count == 2', message: 'int' },
        {
          rule: 'type(self.ratio) == double && self.ratio == 1.0',
          message: 'double',
        },
        {
          rule: 'type(self.port) == string || self.port > 0',
          message: 'int-or-string',
        },
        {
          rule: "self.at < timestamp('2030-01-01T00:00:00Z')",
          message: 'timestamp',
        },
        { rule: "self.timeout == duration('90s')", message: 'duration' },
        {
          rule: "self.__namespace__ == 'ns' && self.max__dash__size == 3",
          message: 'escaped',
        },
      ],
    });
    const spec = {
      count: 2,
      ratio: 1,
      port: 8080,
      at: '2024-05-01T10:00:00Z',
      timeout: '1m30s',
      namespace: 'ns',
      'max-size': 3,
    };
    expect(checkCelRules(schema, resource(spec)).causes).toEqual([]);
    expect(
      checkCelRules(
        schema,
        resource({ ...spec, port: 'http', count: 3 }),
      ).causes.map(c => c.message),
    ).toEqual(['Invalid value: "object": int']);
  });

  it('shows only name and generateName of the root metadata', () => {
    const schema = resourceSchema({}, [
      {
        rule: "self.metadata.name == 'a' && !has(self.metadata.labels)",
        message: 'm',
      },
    ]);
    const object = {
      ...resource({}),
      metadata: { name: 'a', labels: { x: 'y' } },
    };
    expect(checkCelRules(schema, object).causes).toEqual([]);
  });

  it('does not run the rules after blocking schema errors', () => {
    const blocked = celRuleCauses(
      itemsSchema,
      resource({ paths: [{ value: 'x' }] }),
      [
        {
          reason: 'FieldValueRequired',
          field: 'spec.name',
          message: 'Required value',
        },
      ],
    );
    expect(blocked.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: '<nil>',
        message:
          'Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
      },
    ]);
    expect(
      celRuleCauses(resourceSchema({}), resource({}), [
        {
          reason: 'FieldValueRequired',
          field: 'spec.name',
          message: 'Required value',
        },
      ]).causes,
    ).toEqual([]);
  });

  it('skips rules it cannot evaluate (reported at start instead)', () => {
    const schema = resourceSchema({
      'x-kubernetes-validations': [{ rule: "quantity('1').isZero()" }],
    });
    expect(checkCelRules(schema, resource({})).causes).toEqual([]);
  });
});
