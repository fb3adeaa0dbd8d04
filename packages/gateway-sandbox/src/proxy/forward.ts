import http, { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { GatewayRequest } from '../request';
import {
  HeaderMutations,
  applyResponseMutations,
} from '../routing/headerModifiers';

/**
 * The double's own request header, not Envoy's: the in-cluster destination
 * the request reached after all routing (the Service hostname, e.g.
 * `m-predictor-00002.tenant-a.svc.cluster.local`), for the one process that
 * stands in for every model pod. The kube-sandbox's mock model server echoes
 * it as `x-kube-sandbox-served-by`. Set on the upstream request only, always
 * overwriting what the client sent, so it cannot be spoofed; it is never on
 * local replies, in metrics or in the access log.
 */
export const DESTINATION_HEADER = 'x-gateway-sandbox-destination';
/** The mock model server's echo of {@link DESTINATION_HEADER}. */
export const SERVED_BY_HEADER = 'x-kube-sandbox-served-by';

// Connection-specific headers a proxy must not forward (RFC 9110 7.6.1).
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

export interface ForwardOptions {
  /** Added to the upstream's response headers (e.g. x-ratelimit-*). */
  responseHeaders?: Record<string, string>;
  /** Sent as {@link DESTINATION_HEADER}. */
  destination?: string;
  /**
   * Envoy's response header parsers, in its order (weighted cluster, then
   * route), before the filters' encoders add `responseHeaders`.
   */
  responseMutations?: Array<HeaderMutations | undefined>;
  /** Keep a copy of the response body for the caller (token usage). */
  keepBody?: boolean;
  /** Filled in as the exchange goes (metrics). */
  timing?: UpstreamTiming;
}

/** Moments of one upstream exchange, `performance.now()` milliseconds. */
export interface UpstreamTiming {
  start: number;
  /** A connection took the request (Envoy counts `upstream_rq_total` then). */
  attached?: boolean;
  /** Status of the upstream's response headers, once they arrived. */
  status?: number;
  firstBodyChunk?: number;
  /** The upstream response ended. */
  end?: number;
}

export function startUpstreamTiming(): UpstreamTiming {
  return { start: performance.now() };
}

/** A complete upstream response; `body` is empty unless `keepBody`. */
export interface UpstreamAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

/**
 * Sends the request upstream and streams the answer back as it arrives.
 * `body` is the buffered body (AI routes, whose ext_proc buffers it), or the
 * client's stream. Envoy's upstream failure answer is 503 with the text
 * below (reset reason as Envoy logs a refused connection; other resets are
 * not distinguished).
 */
export function forwardRequest(
  request: GatewayRequest,
  body: Buffer | Readable,
  url: URL,
  res: ServerResponse,
  options: ForwardOptions = {},
): Promise<UpstreamAnswer | undefined> {
  return new Promise(resolve => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of request.headers) {
      if (
        HOP_BY_HOP.has(name) ||
        name === 'content-length' ||
        name === DESTINATION_HEADER
      )
        continue;
      const existing = headers[name];
      headers[name] =
        existing === undefined ? value : [...[existing].flat(), value];
    }
    if (options.destination) headers[DESTINATION_HEADER] = options.destination;
    if (Buffer.isBuffer(body)) headers['content-length'] = String(body.length);
    else if (request.firstHeader('content-length')) {
      headers['content-length'] = request.firstHeader('content-length')!;
    } else if (request.firstHeader('transfer-encoding')) {
      headers['transfer-encoding'] = 'chunked';
    }
    const upstream = http.request(url, { method: request.method, headers });
    const timing = options.timing;
    if (timing) {
      const attached = () => {
        timing.attached = true;
      };
      upstream.on('socket', socket => {
        if (socket.connecting) socket.once('connect', attached);
        else attached();
      });
    }
    upstream.on('response', (answer: IncomingMessage) => {
      if (timing) {
        timing.status = answer.statusCode ?? 502;
        answer.once('data', () => {
          timing.firstBodyChunk = performance.now();
        });
      }
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
      }
      for (const mutations of options.responseMutations ?? [])
        applyResponseMutations(out, mutations);
      Object.assign(out, options.responseHeaders);
      res.writeHead(answer.statusCode ?? 502, out);
      const chunks: Buffer[] = [];
      if (options.keepBody) answer.on('data', chunk => chunks.push(chunk));
      // Registered before pipe: resolves before the client sees the end,
      // so what the caller records counts for the client's next request.
      answer.on('end', () => {
        if (timing) timing.end = performance.now();
        resolve({
          status: answer.statusCode ?? 502,
          contentType: answer.headers['content-type'] ?? '',
          body: Buffer.concat(chunks),
        });
      });
      answer.on('error', () => resolve(undefined));
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end(
          'upstream connect error or disconnect/reset before headers. reset reason: connection failure',
        );
      } else {
        res.destroy();
      }
      resolve(undefined);
    });
    if (Buffer.isBuffer(body)) upstream.end(body);
    else body.pipe(upstream);
  });
}
