import {
  DEFAULT_AUTO_ROLLBACK_MIN_REQUESTS,
  DEFAULT_ROLLOUT_WINDOW,
  formatZodError,
  type RolloutWindow,
  type RolloutRequest,
  rolloutRequestSchema,
  rolloutTrafficSchema,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { describeError } from '../ApiErrorPanel';

/** The "Roll out a new version" form as typed: numbers stay text until validation. */
export interface RolloutFormValues {
  storageUri: string;
  cpuRequest: string;
  memoryRequest: string;
  cpuLimit: string;
  memoryLimit: string;
  /** The new version's share of the traffic once it is Ready, 1-99. */
  share: string;
  /** "Roll back automatically": sent only when ticked. */
  autoRollback: boolean;
  /** Its threshold, percent of requests answered 5xx (1-100). */
  errorRatePercent: string;
  window: RolloutWindow;
  minRequests: string;
}

export const DEFAULT_AUTO_ROLLBACK_THRESHOLD = 5;

export const DEFAULT_CANARY_SHARE = 10;

export const initialRolloutFormValues = (): RolloutFormValues => ({
  storageUri: '',
  cpuRequest: '',
  memoryRequest: '',
  cpuLimit: '',
  memoryLimit: '',
  share: String(DEFAULT_CANARY_SHARE),
  autoRollback: false,
  errorRatePercent: String(DEFAULT_AUTO_ROLLBACK_THRESHOLD),
  window: DEFAULT_ROLLOUT_WINDOW,
  minRequests: String(DEFAULT_AUTO_ROLLBACK_MIN_REQUESTS),
});

/** Field paths as the request schema and the backend name them. */
export const ROLLOUT_FORM_FIELDS = [
  'storageUri',
  'resources.requests.cpu',
  'resources.requests.memory',
  'resources.limits.cpu',
  'resources.limits.memory',
  'resources',
  'canaryTrafficPercent',
  'autoRollback',
  'autoRollback.errorRatePercent',
  'autoRollback.window',
  'autoRollback.minRequests',
] as const;

export type FieldErrors = Partial<Record<string, string>>;

/** A number when the text is one; otherwise the text, which the schema reports as "must be a number". */
export function numberOrText(value: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const parsed = Number(trimmed);
  return Number.isNaN(parsed) ? trimmed : parsed;
}

function cpuMemory(cpu: string, memory: string) {
  const entries = Object.entries({ cpu: cpu.trim(), memory: memory.trim() });
  const set = entries.filter(([, value]) => value !== '');
  return set.length > 0 ? Object.fromEntries(set) : undefined;
}

/** The request body the form describes, before validation. Empty fields are left out. */
export function toRolloutRequestBody(
  values: RolloutFormValues,
): Record<string, unknown> {
  const requests = cpuMemory(values.cpuRequest, values.memoryRequest);
  const limits = cpuMemory(values.cpuLimit, values.memoryLimit);
  const storageUri = values.storageUri.trim();
  return {
    ...(storageUri ? { storageUri } : {}),
    ...(requests || limits
      ? {
          resources: {
            ...(requests ? { requests } : {}),
            ...(limits ? { limits } : {}),
          },
        }
      : {}),
    canaryTrafficPercent: numberOrText(values.share),
    ...(values.autoRollback
      ? {
          autoRollback: {
            errorRatePercent: numberOrText(values.errorRatePercent),
            window: values.window,
            minRequests: numberOrText(values.minRequests),
          },
        }
      : {}),
  };
}

/** The schema's "change at least one field" names fields this form does not offer. */
const NOTHING_CHANGED = 'must change at least one of';

function toFieldErrors(errors: { field: string; message: string }[]) {
  const fields: FieldErrors = {};
  for (const { field, message } of errors) {
    fields[field] ??= message.startsWith(NOTHING_CHANGED)
      ? 'required unless you change the resources'
      : message;
  }
  return fields;
}

/**
 * Validates with the backend's own schema (`rolloutRequestSchema` from `-common`), so the form's
 * messages are the ones the backend would send. One message per field: the first.
 */
export function validateRolloutForm(
  values: RolloutFormValues,
):
  | { request: RolloutRequest; errors?: undefined }
  | { request?: undefined; errors: FieldErrors } {
  const result = rolloutRequestSchema.safeParse(toRolloutRequestBody(values));
  if (result.success) return { request: result.data };
  return { errors: toFieldErrors(formatZodError(result.error)) };
}

/** Validates a new share of the traffic (the Change share dialog). */
export function validateShare(
  share: string,
): { percent: number; error?: undefined } | { error: string } {
  const result = rolloutTrafficSchema.safeParse({
    canaryTrafficPercent: numberOrText(share),
  });
  if (result.success) return { percent: result.data.canaryTrafficPercent };
  return { error: result.error.issues[0]?.message ?? 'is not valid' };
}

/** The backend's field errors that belong to one of `fields`, for showing at those inputs. */
export function backendFieldErrors(
  error: unknown,
  fields: readonly string[],
): FieldErrors {
  return toFieldErrors(
    describeError(error, fields).fields.filter(f => fields.includes(f.field)),
  );
}
