import { InputError } from '@backstage/errors';
import type { FieldError } from '@inference-in-a-box/backstage-plugin-inference-common';

/** A 400 whose body names every offending field, so forms can show each message at its field. */
export class RequestValidationError extends InputError {
  constructor(readonly fields: FieldError[]) {
    super(
      `Invalid request: ${fields
        .map(f => (f.field ? `${f.field}: ${f.message}` : f.message))
        .join('; ')}`,
    );
  }
}
