import http from 'node:http';
import https from 'node:https';
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { ResponseContext, wrapHttpLibrary } from '@kubernetes/client-node';
import type { HttpLibrary, RequestContext } from '@kubernetes/client-node';

/**
 * The cluster was not reached, or stopped answering mid-way: a refused or reset connection, a DNS
 * or TLS failure, the deadline. Node's own error is its `cause` (errors.ts reads its code).
 */
export class ClusterTransportError extends Error {
  name = 'ClusterTransportError' as const;
  readonly code?: string;
  constructor(cause: Error & { code?: string }) {
    super(cause.message, { cause });
    this.code = cause.code;
  }
}

const asTransportError = (error: Error) => new ClusterTransportError(error);

/**
 * client-node's transport (the `httpApi` of its generated configuration) on Node's own http module,
 * in place of its default node-fetch 2: everything else of a call (the path from discovery, query
 * parameters, auth, serializing and parsing, ApiException) stays client-node's. The default costs
 * about a third of a millisecond of CPU per call over the request itself (URL parsing, its Headers
 * and Body classes, its stream wrappers), more than the portal's own planning of a limit change
 * (docs/architecture.md, "Where the cluster is called").
 *
 * What the default did and this keeps: the request's agent (the cluster's keep-alive pool) and
 * abort signal (its deadline), gzip and deflate answers decoded, the response headers with
 * lower-case names and repeated ones joined by ", ". Every failure to reach the cluster or read its
 * answer (node-fetch's FetchError of type `system`) rejects as a ClusterTransportError around
 * Node's own error, TLS failures included. Redirects are not followed: an API server answers every
 * request itself.
 */
export function createNodeHttpLibrary(): HttpLibrary {
  return wrapHttpLibrary({
    send(request: RequestContext): Promise<ResponseContext> {
      const body = request.getBody();
      if (body !== undefined && typeof body !== 'string') {
        // FormData and URLSearchParams bodies belong to APIs the portal does not call.
        return Promise.reject(
          new TypeError('Only string request bodies are sent to a cluster'),
        );
      }
      const url = new URL(request.getUrl());
      const client = url.protocol === 'https:' ? https : http;
      return new Promise((resolve, reject) => {
        const req = client.request(url, {
          method: request.getHttpMethod().toString(),
          headers: {
            'accept-encoding': 'gzip, deflate',
            ...request.getHeaders(),
            ...(body !== undefined
              ? { 'content-length': String(Buffer.byteLength(body)) }
              : {}),
          },
          agent: request.getAgent() as http.Agent | undefined,
          signal: request.getSignal() as AbortSignal | undefined,
        });
        req.on('error', error => reject(asTransportError(error)));
        req.on('response', response => {
          readBody(response).then(
            buffer => {
              resolve(
                new ResponseContext(
                  response.statusCode ?? 0,
                  headersOf(response),
                  {
                    text: async () => buffer.toString('utf8'),
                    binary: async () => buffer,
                  },
                ),
              );
            },
            error => reject(asTransportError(error)),
          );
        });
        req.end(body);
      });
    },
  });
}

/** The whole body, decoded as its content-encoding says. */
function readBody(response: http.IncomingMessage): Promise<Buffer> {
  const encoding = response.headers['content-encoding'];
  let stream: Readable = response;
  if (encoding === 'gzip') stream = response.pipe(createGunzip());
  else if (encoding === 'deflate') stream = response.pipe(createInflate());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
    // A connection lost mid-answer: Node's `aborted` error, code ECONNRESET.
    response.on('error', reject);
  });
}

function headersOf(response: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined)
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
