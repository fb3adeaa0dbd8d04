import crypto, { KeyObject } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A signing key of a test issuer and its public JWK. */
export interface TestKey {
  kid: string;
  alg: string;
  privateKey: KeyObject | Buffer;
  jwk: Record<string, unknown>;
}

/** Generates a key for `alg` (RS*, PS*, ES*, HS*, EdDSA). */
export function generateTestKey(alg: string, kid: string): TestKey {
  const family = alg.slice(0, 2);
  if (family === 'HS') {
    const secret = crypto.randomBytes(32);
    return {
      kid,
      alg,
      privateKey: secret,
      jwk: { kty: 'oct', kid, alg, k: secret.toString('base64url') },
    };
  }
  const pair = keyPair(alg);
  return {
    kid,
    alg,
    privateKey: pair.privateKey,
    jwk: { ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
  };
}

function keyPair(alg: string): {
  publicKey: KeyObject;
  privateKey: KeyObject;
} {
  if (alg.startsWith('ES')) {
    const curves: Record<string, string> = {
      ES256: 'P-256',
      ES384: 'P-384',
      ES512: 'P-521',
    };
    return crypto.generateKeyPairSync('ec', { namedCurve: curves[alg] });
  }
  if (alg === 'EdDSA') return crypto.generateKeyPairSync('ed25519');
  return crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** SHA-256 unless the alg says 384 or 512. */
function digestOf(alg: string): string {
  if (alg.endsWith('384')) return 'sha384';
  if (alg.endsWith('512')) return 'sha512';
  return 'sha256';
}

/** A compact JWS of `payload` signed with `key` (header overridable). */
export function signJwt(
  key: TestKey,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const encode = (o: unknown) =>
    Buffer.from(JSON.stringify(o)).toString('base64url');
  const signingInput = `${encode({
    alg: key.alg,
    typ: 'JWT',
    kid: key.kid,
    ...header,
  })}.${encode(payload)}`;
  const data = Buffer.from(signingInput);
  const digest = digestOf(key.alg);
  let signature: Buffer;
  if (key.alg.startsWith('HS')) {
    signature = crypto
      .createHmac(digest, key.privateKey as Buffer)
      .update(data)
      .digest();
  } else if (key.alg === 'EdDSA') {
    signature = crypto.sign(null, data, key.privateKey as KeyObject);
  } else if (key.alg.startsWith('ES')) {
    signature = crypto.sign(digest, data, {
      key: key.privateKey as KeyObject,
      dsaEncoding: 'ieee-p1363',
    });
  } else if (key.alg.startsWith('PS')) {
    signature = crypto.sign(digest, data, {
      key: key.privateKey as KeyObject,
      padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
      saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST,
    });
  } else {
    signature = crypto.sign(digest, data, key.privateKey as KeyObject);
  }
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** A JWKS endpoint on 127.0.0.1 whose keys and answer tests change. */
export interface JwksServer {
  /** `http://127.0.0.1:<port>/jwks.json`. */
  url: string;
  /** Number of GETs served so far. */
  fetches: number;
  /** The keys served from now on. */
  setKeys(keys: TestKey[]): void;
  /** Answer this status with an empty body (undefined: serve the keys). */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

export async function startJwksServer(keys: TestKey[]): Promise<JwksServer> {
  let served = keys;
  let failure: number | undefined;
  const state = { fetches: 0 };
  const server = http.createServer((_req, res) => {
    state.fetches++;
    if (failure !== undefined) {
      res.writeHead(failure);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: served.map(k => k.jwk) }));
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    get fetches() {
      return state.fetches;
    },
    setKeys: next => {
      served = next;
    },
    failWith: status => {
      failure = status;
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
