/** Small builders of OpenAPI 3 parts, shared by the document and its components. */

/** A reference to a schema of the document's components. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A JSON body with the given schema. */
export const json = (schema: object) => ({
  content: { 'application/json': { schema } },
});
