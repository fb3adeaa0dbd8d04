import type { ZodType, ZodTypeDef } from 'zod/v3';
import {
  formatZodError,
  modelLocatorSchema,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { RequestValidationError } from '../errors';

export { RequestValidationError } from '../errors';

export function parseInput<T>(
  schema: ZodType<T, ZodTypeDef, unknown>,
  input: unknown,
  prefix?: string,
): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new RequestValidationError(
      formatZodError(result.error).map(f => ({
        ...f,
        field: prefix ? [prefix, f.field].filter(Boolean).join('.') : f.field,
      })),
    );
  }
  return result.data;
}

/** Path parameters naming a model: a configured cluster, and DNS labels for namespace and name. */
export const modelPathSchema = modelLocatorSchema;

/** `?dryRun=true` (or `All`, as in Kubernetes) previews; anything else that is set is an error. */
export function parseDryRun(query: Record<string, unknown>): boolean {
  const value = query.dryRun;
  if (value === undefined || value === 'false') return false;
  if (value === 'true' || value === 'All' || value === '') return true;
  throw new RequestValidationError([
    { field: 'dryRun', message: 'must be true or false' },
  ]);
}
