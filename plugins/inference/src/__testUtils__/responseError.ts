import { ResponseError } from '@backstage/errors';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
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
