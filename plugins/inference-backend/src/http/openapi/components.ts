import { json, ref } from './schemaParts';

const stringProperties = (...names: string[]) =>
  Object.fromEntries(names.map(name => [name, { type: 'string' }]));

/** An object schema whose properties are all strings. */
const stringsObject = (...names: string[]) => ({
  type: 'object',
  properties: stringProperties(...names),
});

/**
 * The document's components: the bearer-token scheme, the request body schemas (generated from
 * the zod schemas the router validates with), the error body and the error answers every route
 * may give.
 */
export function components(requestBodySchemas: Record<string, unknown>) {
  return {
    securitySchemes: {
      backstageToken: {
        type: 'http',
        scheme: 'bearer',
        description: 'A Backstage user token',
      },
    },
    schemas: {
      ...requestBodySchemas,
      Error: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: {
              ...stringProperties('name', 'message'),
              fields: {
                type: 'array',
                description: 'Invalid input: every offending field',
                items: stringsObject('field', 'message'),
              },
              causes: {
                type: 'array',
                description: "The cluster's reasons (Kubernetes Status causes)",
                items: stringsObject('reason', 'field', 'message'),
              },
            },
          },
        },
      },
    },
    responses: Object.fromEntries<object>(
      [
        ['BadRequest', 'Invalid input; `error.fields` names each field'],
        ['Unauthorized', 'No or invalid credentials'],
        ['Forbidden', 'The permission policy refused'],
        ['NotFound', 'No such model, publication or key'],
        [
          'Conflict',
          'Already exists, name taken, published model, or a changed model type',
        ],
        [
          'ClusterRejected',
          'The cluster rejected an object; `error.causes` has its reasons',
        ],
        ['ClusterUnavailable', 'The cluster is unreachable or timed out'],
        [
          'UsageNotConfigured',
          'Usage is not configured (`inference.usage.prometheusUrl`)',
        ],
        [
          'UsageUnavailable',
          'Prometheus is unreachable, timed out or failed the query',
        ],
      ]
        .map(([name, description]): [string, object] => [
          name,
          { description, ...json(ref('Error')) },
        ])
        .concat([
          [
            'TooManyRequests',
            {
              description:
                "The caller's per-user rate cap is spent (`inference.rateCaps`: test invocations, or writes)",
              headers: {
                'Retry-After': {
                  description: 'Seconds until the next request is allowed',
                  schema: { type: 'integer', minimum: 1 },
                },
              },
              ...json(ref('Error')),
            },
          ],
        ]),
    ),
  };
}
