/** Pieces of the paths and component schemas of the published APIs' OpenAPI documents. */

export type Schema = Record<string, unknown>;

export const json = (schema: Schema) => ({ 'application/json': { schema } });
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const ok = (description: string, schema: Schema) => ({
  description,
  content: json(schema),
});

/** Answers of the gateway that every operation can give. */
const GATEWAY_ERRORS = {
  '401': { description: 'Missing or invalid API key (or JWT)' },
  '429': { description: 'Rate limit of this API key exceeded' },
};

const responses = (success: object) => ({
  '200': success,
  ...GATEWAY_ERRORS,
});

/** The path item of a GET operation that answers `success`. */
export const getOperation = (
  operationId: string,
  summary: string,
  success: object,
) => ({ get: { operationId, summary, responses: responses(success) } });

/** The path item of a POST operation whose required JSON body is the schema named `body`. */
export const postOperation = (
  operationId: string,
  summary: string,
  body: string,
  success: object,
) => ({
  post: {
    operationId,
    summary,
    requestBody: { required: true, content: json(ref(body)) },
    responses: responses(success),
  },
});
