import http from 'node:http';

export interface GatewayResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One request to the gateway double with an explicit Host header. */
export function sendToGateway(
  gatewayUrl: string,
  request: {
    host: string;
    path: string;
    method?: string;
    headers?: Record<string, string>;
    body?: unknown;
  },
): Promise<GatewayResponse> {
  const body =
    request.body === undefined ? undefined : JSON.stringify(request.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(request.path, gatewayUrl),
      {
        method: request.method ?? (body ? 'POST' : 'GET'),
        headers: {
          host: request.host,
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...request.headers,
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
