import { ResponseError } from '@backstage/errors';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * A `ResponseError` as the client throws it for a Backstage error body, e.g.
 * `responseError(400, { name: 'InputError', message: '...', fields: [...] })`.
 */
export async function responseError(
  status: number,
  error: { name: string; message: string; [extra: string]: unknown },
): Promise<ResponseError> {
  const body = JSON.stringify({
    error,
    request: { method: 'PUT', url: '/api/inference/test' },
    response: { statusCode: status },
  });
  return ResponseError.fromResponse({
    headers: new Headers({ 'content-type': 'application/json' }),
    ok: false,
    redirected: false,
    status,
    statusText: STATUS_TEXT[status] ?? 'Error',
    type: 'basic',
    url: 'http://localhost/api/inference/test',
    text: async () => body,
  });
}

/** A fake API method that always fails the way the client does for this error response. */
export function failsWith(
  status: number,
  error: { name: string; message: string; [extra: string]: unknown },
) {
  return jest.fn(async () => {
    throw await responseError(status, error);
  });
}

/** The backend's answer to a rate limit the platform does not allow: a field error (HTTP 400). */
export const requestsPerMinuteTooHigh = () =>
  responseError(400, {
    name: 'InputError',
    message:
      'Invalid request: limits.requestsPerMinute: must be at most 5,000 on this platform',
    fields: [
      {
        field: 'limits.requestsPerMinute',
        message: 'must be at most 5,000 on this platform',
      },
    ],
  });
