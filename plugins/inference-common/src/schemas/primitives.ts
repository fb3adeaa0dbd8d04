import { z } from 'zod/v3';
import { DNS_LABEL_PATTERN, DNS_SUBDOMAIN_PATTERN } from '../kubernetesNames';

/**
 * Building blocks shared by the request schemas. They use zod's v3 API (`zod/v3`) because that is
 * what Backstage's scaffolder actions and the backend template expect; zod 4 ships it too.
 */

/** No CR, LF or NUL: the characters that split or truncate HTTP headers and log lines. */
const NO_HEADER_INJECTION = /^[^\r\n\0]*$/;
/** No C0 control character and no DEL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const NO_CONTROL_CHARACTER = /^[^\u0000-\u001f\u007f]*$/;

/** A string that cannot smuggle a header or a log line: every string field starts from this. */
export function safeString() {
  // A regex check rather than a refinement, so the result stays a ZodString (min, max, regex...).
  return z.string().regex(NO_HEADER_INJECTION, {
    message: 'must not contain line breaks or NUL characters',
  });
}

/** A string without any control character (tabs included), for command-line arguments. */
export function plainText() {
  return z.string().regex(NO_CONTROL_CHARACTER, {
    message: 'must not contain control characters',
  });
}

/** A DNS-1123 label (`my-model`) of at most `max` characters. */
export function dnsLabel(max: number) {
  return safeString()
    .min(1, { message: 'is required' })
    .max(max, { message: `must be at most ${max} characters` })
    .regex(DNS_LABEL_PATTERN, {
      message:
        "must consist of lowercase letters, digits and '-', and start and end with a letter or digit",
    });
}

/** A concrete DNS hostname (no wildcard), lowercase, at most 253 characters. */
export function hostname() {
  return safeString()
    .max(253, { message: 'must be at most 253 characters' })
    .regex(DNS_SUBDOMAIN_PATTERN, {
      message:
        "must be a lowercase DNS name such as api.example.com (letters, digits, '-' and '.')",
    });
}

/** An integer in `[min, max]`, with messages that name the bounds. */
export function boundedInt(min: number, max: number) {
  const range = `between ${min.toLocaleString(
    'en-US',
  )} and ${max.toLocaleString('en-US')}`;
  return z
    .number({ invalid_type_error: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be ${range}` })
    .max(max, { message: `must be ${range}` });
}
