import {
  DEFAULT_PUBLISH_LIMITS,
  formatZodError,
  type ModelType,
  type PublicationSummary,
  type PublishRequest,
  publishRequestSchema,
} from '@inference-in-a-box/backstage-plugin-inference-common';

/** The publish form as typed: numbers stay text until validation so "abc" can be reported. */
export interface PublishFormValues {
  publicModelName: string;
  /** Empty for the platform's default hostname. */
  hostname: string;
  jwt: boolean;
  /** Empty string: no such limit. */
  requestsPerMinute: string;
  requestsPerHour: string;
  tokensPerHour: string;
  /** Empty: let the platform detect the type. */
  modelType: ModelType | '';
}

/** Field paths as the request schema and the backend name them. */
export const PUBLISH_FORM_FIELDS = [
  'publicModelName',
  'hostname',
  'auth.jwt',
  'auth.apiKey',
  'limits.requestsPerMinute',
  'limits.requestsPerHour',
  'limits.tokensPerHour',
  'limits',
  'modelType',
] as const;

export type FieldErrors = Partial<Record<string, string>>;

const text = (value: number | undefined) =>
  value === undefined ? '' : String(value);

/**
 * Starts from the current publication when there is one, otherwise from the defaults of
 * docs/architecture.md ("Defaults"). Token limits only apply to OpenAI-compatible models, so predictive ones start without.
 */
export function initialPublishFormValues(
  model: { name: string; modelType?: ModelType },
  current?: PublicationSummary,
): PublishFormValues {
  if (current) {
    return {
      publicModelName: current.publicModelName,
      hostname: current.hostname,
      jwt: current.auth.jwt,
      requestsPerMinute: text(current.limits.requestsPerMinute),
      requestsPerHour: text(current.limits.requestsPerHour),
      tokensPerHour: text(current.limits.tokensPerHour),
      modelType: '',
    };
  }
  return {
    publicModelName: model.name,
    hostname: '',
    jwt: false,
    requestsPerMinute: String(DEFAULT_PUBLISH_LIMITS.requestsPerMinute),
    requestsPerHour: String(DEFAULT_PUBLISH_LIMITS.requestsPerHour),
    tokensPerHour:
      model.modelType === 'predictive'
        ? ''
        : String(DEFAULT_PUBLISH_LIMITS.tokensPerHour),
    modelType: '',
  };
}

/** A number when the text is one; otherwise the text itself, which the schema reports as "must be a number". */
function numberOrText(value: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const parsed = Number(trimmed.replace(/[,_\s]/g, ''));
  return Number.isNaN(parsed) ? trimmed : parsed;
}

/** What the form needs to know about the model being published. */
export interface PublishTarget {
  /** The InferenceService name. */
  name: string;
  /** The override if one is chosen, else the type the catalog gives. */
  effectiveType?: ModelType;
}

/**
 * The request body the form describes, before validation. For a predictive model the public name
 * is its own name and there is no token limit: the backend refuses anything else, and the form
 * does not offer those fields.
 */
export function toPublishRequestBody(
  values: PublishFormValues,
  target: PublishTarget,
): Record<string, unknown> {
  const predictive = target.effectiveType === 'predictive';
  const limitFields = predictive
    ? (['requestsPerMinute', 'requestsPerHour'] as const)
    : (['requestsPerMinute', 'requestsPerHour', 'tokensPerHour'] as const);
  const limits = Object.fromEntries(
    limitFields
      .map(field => [field, numberOrText(values[field])] as const)
      .filter(([, value]) => value !== undefined),
  );
  return {
    publicModelName: predictive ? target.name : values.publicModelName.trim(),
    ...(values.hostname.trim() ? { hostname: values.hostname.trim() } : {}),
    auth: { apiKey: true, jwt: values.jwt },
    limits,
    ...(values.modelType ? { modelType: values.modelType } : {}),
  };
}

/**
 * Validates with the backend's own schema (`publishRequestSchema` from `-common`), so the form's
 * messages are the ones the backend would send. One message per field: the first.
 */
export function validatePublishForm(
  values: PublishFormValues,
  target: PublishTarget,
):
  | { request: PublishRequest; errors?: undefined }
  | { request?: undefined; errors: FieldErrors } {
  const result = publishRequestSchema.safeParse(
    toPublishRequestBody(values, target),
  );
  if (result.success) return { request: result.data };
  const errors: FieldErrors = {};
  for (const { field, message } of formatZodError(result.error)) {
    errors[field] ??= message;
  }
  return { errors };
}
