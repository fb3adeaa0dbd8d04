import http, { IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  isServingErrorsStorageUri,
  servingErrorBody,
} from '../faults/servingErrors';
import { isPlainObject } from '../schema/structuralValidator';
import { inferV2, modelMetadataV2, predictV1 } from './kserveApi';
import {
  chatCompletions,
  completions,
  embeddings,
  listModels,
  ModelRequestError,
  requestedModel,
} from './openaiApi';

/**
 * A mock model server: OpenAI-compatible (`/v1/chat/completions` with
 * SSE streaming, `/v1/completions`, `/v1/embeddings`, `/v1/models`) and
 * KServe (`/v1/models/<m>:predict`, `/v2/models/<m>/infer`). Routes match
 * on the end of the path, so any prefix a gateway adds works, e.g.
 * `/openai/v1/chat/completions` or `/models/<tenant>/<model>/v1/models/<m>:predict`.
 */

export interface ModelServerOptions {
  port?: number;
  host?: string;
  /** Names listed by `/v1/models` and used when a request names no model. */
  models?: string[];
  logger?: (line: string) => void;
  /**
   * The storage URI of the model behind an in-cluster destination (the
   * `x-gateway-sandbox-destination` hostname), for the `serving-errors` fault
   * (faults/servingErrors.ts); the sandbox reads it from its objects.
   */
  storageUriOf?: (destination: string) => string | undefined;
}

export interface ModelServer {
  url: string;
  close(): Promise<void>;
}

const DEFAULT_MODELS = ['mock-model'];

/**
 * The sandbox's own marker of who served a request, not a header of KServe, Knative, Istio or
 * Envoy. The mock model server is one process standing in for every model pod; the gateway
 * double (`@internal/gateway-sandbox`) tells it which in-cluster destination a request reached
 * (the Service hostname after all routing, e.g. `m-predictor-00002.tenant-a.svc.cluster.local`)
 * in the request header `x-gateway-sandbox-destination`, which the double always overwrites, and
 * the server echoes it back in the response header `x-kube-sandbox-served-by`, so a test can count
 * which backend answered. A request without the header (sent straight to the server) gets none.
 */
export const DESTINATION_REQUEST_HEADER = 'x-gateway-sandbox-destination';
export const SERVED_BY_RESPONSE_HEADER = 'x-kube-sandbox-served-by';

type Handler = (ctx: {
  match: RegExpExecArray;
  body: Record<string, unknown>;
  res: ServerResponse;
  models: string[];
}) => void;

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handle: Handler;
  /** An inference request, which the `serving-errors` fault fails. */
  inference?: boolean;
}

function sendJson(res: ServerResponse, code: number, body: unknown) {
  res
    .writeHead(code, { 'Content-Type': 'application/json' })
    .end(JSON.stringify(body));
}

/** An OpenAI endpoint: it answers for the model the request names, or the server's first one. */
function openAiRoute(
  answer: (
    body: Record<string, unknown>,
    res: ServerResponse,
    model: string,
  ) => void,
): Handler {
  return ({ body, res, models }) =>
    answer(body, res, requestedModel(body, models[0]));
}

const ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: /\/v1\/chat\/completions$/,
    inference: true,
    handle: openAiRoute(chatCompletions),
  },
  {
    method: 'POST',
    pattern: /\/v1\/completions$/,
    inference: true,
    handle: openAiRoute(completions),
  },
  {
    method: 'POST',
    pattern: /\/v1\/embeddings$/,
    inference: true,
    handle: openAiRoute(embeddings),
  },
  {
    method: 'GET',
    pattern: /\/v1\/models$/,
    handle: ({ res, models }) => listModels(res, models),
  },
  {
    method: 'POST',
    pattern: /\/v1\/models\/([^/:]+):predict$/,
    inference: true,
    handle: ({ body, res }) => sendJson(res, 200, predictV1(body)),
  },
  {
    method: 'GET',
    pattern: /\/v1\/models\/([^/:]+)$/,
    handle: ({ match, res }) =>
      sendJson(res, 200, { name: match[1], ready: true }),
  },
  {
    method: 'POST',
    pattern: /\/v2\/models\/([^/]+)\/infer$/,
    inference: true,
    handle: ({ match, body, res }) =>
      sendJson(res, 200, inferV2(match[1], body)),
  },
  {
    method: 'GET',
    pattern: /\/v2\/models\/([^/]+)\/ready$/,
    handle: ({ match, res }) =>
      sendJson(res, 200, { name: match[1], ready: true }),
  },
  {
    method: 'GET',
    pattern: /\/v2\/models\/([^/]+)$/,
    handle: ({ match, res }) => sendJson(res, 200, modelMetadataV2(match[1])),
  },
  {
    method: 'GET',
    pattern: /\/v2\/health\/(live|ready)$/,
    handle: ({ match, res }) => sendJson(res, 200, { [match[1]]: true }),
  },
];

async function readJson(
  req: IncomingMessage,
): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += chunk;
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ModelRequestError(
      `invalid JSON body: ${(error as Error).message}`,
    );
  }
  if (!isPlainObject(parsed))
    throw new ModelRequestError('the JSON body must be an object');
  return parsed;
}

export function createModelRequestListener(
  models: string[],
  storageUriOf: ModelServerOptions['storageUriOf'] = () => undefined,
) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    // Every answer of "that pod" carries the marker, errors included (writeHead merges it).
    const destination = req.headers[DESTINATION_REQUEST_HEADER];
    if (typeof destination === 'string' && destination !== '')
      res.setHeader(SERVED_BY_RESPONSE_HEADER, destination);
    const pathname = new URL(req.url ?? '/', 'http://model.invalid').pathname;
    const route = ROUTES.find(
      r => r.method === req.method && r.pattern.test(pathname),
    );
    if (!route) {
      sendJson(res, 404, {
        error: {
          message: `no route for ${req.method} ${pathname}`,
          type: 'not_found',
        },
      });
      return;
    }
    const uri =
      route.inference && typeof destination === 'string' && destination !== ''
        ? storageUriOf(destination.toLowerCase().replace(/:\d+$/, ''))
        : undefined;
    if (uri !== undefined && isServingErrorsStorageUri(uri)) {
      // The body is read (and dropped), as by a server whose predict step fails.
      await readJson(req).catch(() => undefined);
      sendJson(res, 500, servingErrorBody());
      return;
    }
    try {
      const body = req.method === 'POST' ? await readJson(req) : {};
      route.handle({ match: route.pattern.exec(pathname)!, body, res, models });
    } catch (error) {
      const code = error instanceof ModelRequestError ? 400 : 500;
      if (!res.headersSent) {
        sendJson(res, code, {
          error: {
            message: (error as Error).message,
            type: 'invalid_request_error',
            code,
          },
        });
      } else {
        res.end();
      }
    }
  };
}

export async function startModelServer(
  options: ModelServerOptions = {},
): Promise<ModelServer> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer(
    createModelRequestListener(
      options.models ?? DEFAULT_MODELS,
      options.storageUriOf,
    ),
  );
  if (options.logger) {
    const log = options.logger;
    server.on('request', (req: IncomingMessage, res: ServerResponse) =>
      res.on('finish', () =>
        log(`model-server ${req.method} ${req.url} ${res.statusCode}`),
      ),
    );
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
