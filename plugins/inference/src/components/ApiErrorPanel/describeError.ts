import { isError, ResponseError } from '@backstage/errors';
import type { FieldError } from '@inference-in-a-box/backstage-plugin-inference-common';

/** A reason the cluster gave for rejecting an object (HTTP 422 bodies carry `error.causes`). */
export interface ClusterCause {
  field?: string;
  reason?: string;
  message?: string;
}

/** What a view shows about a failed call: the backend's words, per field where it names one. */
export interface ErrorDescription {
  /** e.g. `409 Conflict`; undefined for errors that did not come from an HTTP response. */
  status?: string;
  /** The backend's message, without the parts that were attributed to a field. */
  message: string;
  fields: FieldError[];
  causes: ClusterCause[];
}

interface ErrorBodyExtras {
  fields?: unknown;
  causes?: unknown;
}

function isFieldError(value: unknown): value is FieldError {
  const candidate = value as FieldError | undefined;
  return (
    typeof candidate?.field === 'string' &&
    typeof candidate?.message === 'string'
  );
}

function asCauses(value: unknown): ClusterCause[] {
  return Array.isArray(value)
    ? value.filter(
        (c): c is ClusterCause => typeof c === 'object' && c !== null,
      )
    : [];
}

/**
 * Splits a message like `Invalid publication: hostname: x is not allowed; limits.tokensPerHour: ...`
 * into per-field errors. Some backend errors (conflicts, checks that need the cluster's state) name
 * their field only in the message, in this `<field>: <message>` form; only fields the caller knows
 * are taken, so an ordinary colon in a message is never mistaken for a field.
 */
export function fieldErrorsFromMessage(
  message: string,
  knownFields: readonly string[],
): { fields: FieldError[]; rest: string } {
  const fields: FieldError[] = [];
  const rest: string[] = [];
  for (const segment of message.split('; ')) {
    const hit = knownFields
      .map(field => ({ field, at: segment.indexOf(`${field}: `) }))
      .find(
        ({ at }) => at === 0 || (at > 0 && segment.slice(0, at).endsWith(': ')),
      );
    if (hit) {
      fields.push({
        field: hit.field,
        message: segment.slice(hit.at + hit.field.length + 2),
      });
    } else if (fields.length > 0) {
      // A sentence that continues the previous field's message ("...; choose another name").
      const last = fields[fields.length - 1];
      last.message = `${last.message}; ${segment}`;
    } else {
      rest.push(segment);
    }
  }
  return { fields, rest: rest.join('; ') };
}

/** True when the error says more than the fields a form already shows at its inputs. */
export function hasUnshownDetails(
  description: ErrorDescription,
  shownFields: readonly string[],
): boolean {
  return (
    description.message.length > 0 ||
    description.causes.length > 0 ||
    description.fields.some(f => !shownFields.includes(f.field))
  );
}

/**
 * Reads an error thrown by the inference client. Validation errors carry `error.fields`, cluster
 * rejections `error.causes`; other errors name fields in their message (see
 * {@link fieldErrorsFromMessage}), which are extracted when `knownFields` is given.
 */
export function describeError(
  error: unknown,
  knownFields: readonly string[] = [],
): ErrorDescription {
  if (ResponseError.is(error)) {
    const extras = error.body.error as typeof error.body.error &
      ErrorBodyExtras;
    const status = `${error.statusCode} ${error.statusText}`.trim();
    const causes = asCauses(extras.causes);
    if (Array.isArray(extras.fields)) {
      // The message only concatenates the fields ("Invalid request: a: ...; b: ..."): list those.
      return {
        status,
        message: '',
        fields: extras.fields.filter(isFieldError),
        causes,
      };
    }
    const { fields, rest } = fieldErrorsFromMessage(
      extras.message,
      knownFields,
    );
    return {
      status,
      message: fields.length > 0 ? rest : extras.message,
      fields,
      causes,
    };
  }
  return {
    message: isError(error) ? error.message : String(error),
    fields: [],
    causes: [],
  };
}
