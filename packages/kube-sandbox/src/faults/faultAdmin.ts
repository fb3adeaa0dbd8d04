import { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../server/httpIO';
import { isPlainObject } from '../schema/structuralValidator';
import { FaultRegistry, FaultRule } from './faultInjector';

/** Admin path prefix; `_` cannot start a Kubernetes API path segment. */
export const ADMIN_PREFIX = '/_sandbox';
export const FAULTS_PATH = `${ADMIN_PREFIX}/faults`;

function ruleFromJson(body: unknown): FaultRule {
  if (
    !isPlainObject(body) ||
    typeof body.path !== 'string' ||
    body.path === ''
  ) {
    throw new Error('a fault needs a non-empty string "path"');
  }
  const optionalNumber = (key: string) => {
    const value = body[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`"${key}" must be a number`);
    }
    return value;
  };
  if (body.method !== undefined && typeof body.method !== 'string') {
    throw new Error('"method" must be a string');
  }
  return {
    method: body.method as string | undefined,
    path: body.pathRegex === true ? new RegExp(body.path) : body.path,
    status: optionalNumber('status'),
    delayMs: optionalNumber('delayMs'),
    drop: body.drop === true,
    times: optionalNumber('times'),
  };
}

/**
 * `GET /_sandbox/faults` lists active rules, `POST` adds one
 * (`{method?, path, pathRegex?, status?, delayMs?, drop?, times?}`),
 * `DELETE` clears them all.
 */
export async function handleFaultAdmin(
  faults: FaultRegistry,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  switch (req.method) {
    case 'GET':
      sendJson(res, 200, { faults: faults.list() });
      return;
    case 'POST': {
      let rule: FaultRule;
      try {
        rule = ruleFromJson(JSON.parse((await readBody(req)) || '{}'));
        faults.add(rule);
      } catch (error) {
        sendJson(res, 400, { error: (error as Error).message });
        return;
      }
      sendJson(res, 201, { faults: faults.list() });
      return;
    }
    case 'DELETE':
      faults.clear();
      sendJson(res, 200, { faults: [] });
      return;
    default:
      sendJson(res, 405, { error: `method ${req.method} not allowed` });
  }
}
