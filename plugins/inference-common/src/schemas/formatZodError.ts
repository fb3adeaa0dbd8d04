import type { ZodError } from 'zod/v3';

/** One problem in a request body, for forms and for `InputError` messages. @public */
export interface FieldError {
  /** Dotted path of the field (`limits.requestsPerMinute`, `args.2`); empty for the whole body. */
  field: string;
  message: string;
}

/**
 * Flattens a zod error into field/message pairs. Unknown fields, which zod reports once for the
 * object that holds them, are reported per field so a form can point at each one.
 * @public
 */
export function formatZodError(error: ZodError): FieldError[] {
  return error.issues.flatMap(issue => {
    const prefix = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(key => ({
        field: prefix ? `${prefix}.${key}` : key,
        message: 'is not a known field',
      }));
    }
    return [{ field: prefix, message: issue.message }];
  });
}
