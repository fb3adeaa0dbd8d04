import { IncomingMessage } from 'node:http';
import { RequestView } from './routing/types';

/**
 * A request as it travels through the filter chain: headers keep their
 * order and repetitions (Envoy's header map), and filters may change them.
 */
export class GatewayRequest {
  path: string;
  query: string;
  /**
   * The downstream peer's IP, what Envoy's `SourceIPInput` sees: Envoy
   * Gateway sets no trusted X-Forwarded-For hops unless a
   * ClientTrafficPolicy says so (not read here), so it is the socket's.
   */
  clientAddress = '';

  constructor(
    readonly method: string,
    pathAndQuery: string,
    /** Lower-case names, in arrival order. */
    readonly headers: Array<[string, string]>,
  ) {
    const q = pathAndQuery.indexOf('?');
    this.path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
    this.query = q < 0 ? '' : pathAndQuery.slice(q + 1);
  }

  static fromIncoming(req: IncomingMessage): GatewayRequest {
    const headers: Array<[string, string]> = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      headers.push([req.rawHeaders[i].toLowerCase(), req.rawHeaders[i + 1]]);
    }
    const request = new GatewayRequest(
      req.method ?? 'GET',
      req.url ?? '/',
      headers,
    );
    request.clientAddress = (req.socket.remoteAddress ?? '').replace(
      /^::ffff:(?=\d+\.)/,
      '',
    );
    return request;
  }

  get pathAndQuery(): string {
    return this.query ? `${this.path}?${this.query}` : this.path;
  }

  get host(): string {
    return this.firstHeader('host') ?? '';
  }

  firstHeader(name: string): string | undefined {
    return this.headers.find(([n]) => n === name)?.[1];
  }

  allHeaders(name: string): string[] {
    return this.headers.filter(([n]) => n === name).map(([, v]) => v);
  }

  /** Overwrites every value of `name` with one value. */
  setHeader(name: string, value: string): void {
    this.removeHeader(name);
    this.headers.push([name, value]);
  }

  removeHeader(name: string): void {
    for (let i = this.headers.length - 1; i >= 0; i--) {
      if (this.headers[i][0] === name) this.headers.splice(i, 1);
    }
  }

  view(): RequestView {
    return {
      method: this.method,
      host: this.host,
      path: this.path,
      query: this.query,
      header: name => {
        const values = this.allHeaders(name);
        return values.length ? values.join(',') : undefined;
      },
    };
  }
}
