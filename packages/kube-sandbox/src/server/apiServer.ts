import { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ResourceService } from '../api/resourceService';
import { describeRequest } from '../audit/describeRequest';
import { RequestAuditLog } from '../audit/requestAudit';
import { failureStatus, KubeError } from '../api/statusErrors';
import {
  ADMIN_PREFIX,
  FAULTS_PATH,
  handleFaultAdmin,
} from '../faults/faultAdmin';
import { FaultRegistry } from '../faults/faultInjector';
import { parseApiPath } from './apiRoutes';
import {
  aggregatedDiscovery,
  AGGREGATED_DISCOVERY_CONTENT_TYPE,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  wantsAggregatedDiscovery,
} from './discovery';
import { sendJson, sendStatus } from './httpIO';
import { OpenApiDocuments } from './openapi';
import { handleResourceRequest, notFoundResource } from './resourceHandler';
import { KUBERNETES_VERSION } from './version';

export interface ApiServerContext {
  service: ResourceService;
  openapi: OpenApiDocuments;
  faults: FaultRegistry;
  token?: string;
  logger: (line: string) => void;
  /** Where every served request is recorded, when given. */
  audit?: RequestAuditLog;
}

/** Records the request in the audit log once it is answered (or its connection dropped). */
function auditOnceAnswered(
  ctx: ApiServerContext,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const audit = ctx.audit;
  if (!audit) return;
  let recorded = false;
  const record = (statusCode: number) => {
    if (recorded) return;
    recorded = true;
    audit.record({
      time: new Date().toISOString(),
      source: 'http',
      actor: req.headers['user-agent'] ?? '',
      ...describeRequest(req.method ?? 'GET', req.url ?? '/'),
      statusCode,
    });
  };
  res.on('finish', () => record(res.statusCode));
  res.on('close', () => record(res.writableFinished ? res.statusCode : 0));
}

/** Applies a matching fault; returns true when the request was answered or dropped. */
async function injectFault(
  ctx: ApiServerContext,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const fault = ctx.faults.take(req.method ?? 'GET', req.url ?? '/');
  if (!fault) return false;
  ctx.logger(
    `fault injected: ${req.method} ${req.url} ${JSON.stringify({
      ...fault,
      path: String(fault.path),
    })}`,
  );
  if (fault.delayMs) await sleep(fault.delayMs);
  if (fault.drop) {
    req.socket.destroy();
    return true;
  }
  if (fault.status) {
    sendStatus(
      res,
      failureStatus(fault.status, `injected fault: HTTP ${fault.status}`),
    );
    return true;
  }
  return false;
}

function isAuthorized(ctx: ApiServerContext, req: IncomingMessage): boolean {
  return !ctx.token || req.headers.authorization === `Bearer ${ctx.token}`;
}

/** Sends a discovery or OpenAPI document, or the API server's 404 when there is none. */
function sendDocument(res: ServerResponse, document: unknown) {
  if (!document) throw notFoundResource();
  sendJson(res, 200, document);
}

async function route(
  ctx: ApiServerContext,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const apiRoute = parseApiPath(url.pathname);
  if (!apiRoute) throw notFoundResource();
  const { registry } = ctx.service;
  const aggregated = wantsAggregatedDiscovery(req.headers.accept);
  if (req.method !== 'GET' && apiRoute.type !== 'resource') {
    throw KubeError.of(
      405,
      'the server does not allow this method on the requested resource',
      'MethodNotAllowed',
    );
  }
  switch (apiRoute.type) {
    case 'version':
      sendJson(res, 200, KUBERNETES_VERSION);
      return;
    case 'health':
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    // `/api` and `/apis` answer aggregated discovery when the client asks for it.
    case 'coreVersions':
    case 'groups': {
      const core = apiRoute.type === 'coreVersions';
      if (aggregated) {
        sendJson(res, 200, aggregatedDiscovery(registry, core), {
          contentType: AGGREGATED_DISCOVERY_CONTENT_TYPE,
        });
      } else if (core) {
        sendJson(res, 200, apiVersions(req.headers.host ?? '127.0.0.1'));
      } else {
        sendJson(res, 200, apiGroupList(registry));
      }
      return;
    }
    case 'group':
      sendDocument(res, apiGroupDocument(registry, apiRoute.group));
      return;
    case 'resourceList':
      sendDocument(
        res,
        apiResourceList(registry, apiRoute.group, apiRoute.version),
      );
      return;
    case 'openapiRoot':
      sendJson(res, 200, ctx.openapi.root());
      return;
    case 'openapiGroupVersion':
      sendDocument(
        res,
        ctx.openapi.groupVersion(apiRoute.group, apiRoute.version),
      );
      return;
    case 'openapiV2':
      // kubectl tolerates a missing v2 document (it only loses `explain` and client-side apply patches).
      throw notFoundResource();
    case 'resource':
      await handleResourceRequest(
        ctx.service,
        apiRoute,
        req,
        res,
        url.searchParams,
      );
      return;
    default:
      throw notFoundResource();
  }
}

/** The request listener of the sandbox's Kubernetes API server. */
export function createApiRequestListener(ctx: ApiServerContext) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    res.on('finish', () =>
      ctx.logger(`${req.method} ${req.url} ${res.statusCode}`),
    );
    auditOnceAnswered(ctx, req, res);
    try {
      if (!isAuthorized(ctx, req)) {
        sendStatus(res, failureStatus(401, 'Unauthorized', 'Unauthorized'));
        return;
      }
      if (req.url === FAULTS_PATH || req.url?.startsWith(`${FAULTS_PATH}?`)) {
        await handleFaultAdmin(ctx.faults, req, res);
        return;
      }
      if (
        !req.url?.startsWith(ADMIN_PREFIX) &&
        (await injectFault(ctx, req, res))
      )
        return;
      await route(ctx, req, res);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof KubeError) {
        sendStatus(res, error.status);
      } else {
        ctx.logger(
          `internal error on ${req.method} ${req.url}: ${
            (error as Error).stack ?? error
          }`,
        );
        sendStatus(
          res,
          failureStatus(
            500,
            `Internal error occurred: ${(error as Error).message}`,
          ),
        );
      }
    }
  };
}
