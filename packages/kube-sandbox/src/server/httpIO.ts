import { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, KubeError, KubeStatus } from '../api/statusErrors';

/** Request bodies above this size are refused (the API server's limit is 3 MiB). */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8');
}

export async function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw KubeError.of(
        413,
        'Request entity too large: limit is 3145728',
        'RequestEntityTooLarge',
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The media type of a request, without parameters. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** Parses a JSON (or, for YAML media types, YAML) body; empty bodies give undefined. */
export function parseBody(text: string, type: string): unknown {
  if (type.includes('protobuf') || type.includes('cbor')) {
    // Protobuf bodies of built-in kinds are decoded before (requestBody.ts);
    // custom resources have no protobuf form, and CBOR is not spoken.
    throw KubeError.of(
      415,
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
      'UnsupportedMediaType',
    );
  }
  if (text.trim() === '') return undefined;
  try {
    if (type.includes('yaml')) return parseYaml(text);
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(
      `the request body could not be decoded: ${(error as Error).message}`,
    );
  }
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  options: { contentType?: string; warnings?: string[] } = {},
) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': options.contentType ?? 'application/json',
    'Cache-Control': 'no-cache, private',
  };
  if (options.warnings?.length) {
    headers.Warning = options.warnings.map(w => `299 - ${JSON.stringify(w)}`);
  }
  res.writeHead(code, headers);
  res.end(text);
}

export function sendStatus(
  res: ServerResponse,
  status: KubeStatus,
  warnings?: string[],
) {
  sendJson(res, status.code, status, { warnings });
}
