import { ChildProcess, spawn } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFIGS_DIR } from '../repoPaths';
import { readObjects } from './readManifests';

/**
 * Runs the demo JWT issuer exactly as configs/auth/jwt-issuer.yaml ships it (the script from its
 * ConfigMap, keys laid out like the Secret the bootstrap generates) on loopback, and checks what
 * the gateway relies on: a JWKS that verifies the tokens, and tokens only for valid client secrets.
 */

const CLIENTS = {
  'tenant-a': 'secret-a-0123456789',
  'tenant-b': 'secret-b-0123456789',
};
let issuer: ChildProcess;
let baseUrl: string;

beforeAll(async () => {
  const configMap = readObjects(path.join(CONFIGS_DIR, 'auth')).find(
    o => o.kind === 'ConfigMap' && o.metadata.name === 'jwt-issuer-app',
  )!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jwt-issuer-'));
  fs.writeFileSync(path.join(dir, 'issuer.mjs'), configMap.data['issuer.mjs']);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(
    path.join(dir, 'private.pem'),
    privateKey.export({ type: 'pkcs8', format: 'pem' }),
  );
  fs.writeFileSync(path.join(dir, 'kid'), 'test-kid\n');
  fs.writeFileSync(path.join(dir, 'clients.json'), JSON.stringify(CLIENTS));

  issuer = spawn(process.execPath, [path.join(dir, 'issuer.mjs')], {
    env: {
      KEY_DIR: dir,
      HOST: '127.0.0.1',
      PORT: '0',
      ISSUER: 'http://issuer.test',
      AUDIENCE: 'inference-gateway',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    issuer.once('exit', code =>
      reject(new Error(`issuer exited with ${code}`)),
    );
    issuer.stdout!.on('data', (chunk: Buffer) => {
      const match = /"event":"listening".*"port":(\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
  });
  baseUrl = `http://127.0.0.1:${port}`;
});

afterAll(() => {
  issuer?.kill();
});

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('demo JWT issuer (configs/auth/jwt-issuer.yaml)', () => {
  it('refuses tokens without valid client credentials', async () => {
    const missing = await fetch(`${baseUrl}/token`, { method: 'POST' });
    const wrong = await fetch(`${baseUrl}/token`, {
      method: 'POST',
      headers: { authorization: basic('tenant-a', 'secret-b-0123456789') },
    });
    const unknown = await fetch(`${baseUrl}/token`, {
      method: 'POST',
      headers: { authorization: basic('tenant-z', 'secret-a-0123456789') },
    });
    expect([missing.status, wrong.status, unknown.status]).toEqual([
      401, 401, 401,
    ]);
  });

  it('mints a token for the tenant that its JWKS verifies', async () => {
    const response = await fetch(`${baseUrl}/token`, {
      method: 'POST',
      headers: { authorization: basic('tenant-b', CLIENTS['tenant-b']) },
    });
    expect(response.status).toBe(200);
    const { access_token: token, token_type: type } =
      (await response.json()) as Record<string, string>;
    expect(type).toBe('Bearer');

    const jwks = (await (
      await fetch(`${baseUrl}/.well-known/jwks.json`)
    ).json()) as {
      keys: Array<Record<string, string>>;
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({
      kid: 'test-kid',
      alg: 'RS256',
      kty: 'RSA',
    });
    expect(jwks.keys[0]).not.toHaveProperty('d'); // public part only

    const [header, claims, signature] = token.split('.');
    const key = createPublicKey({
      key: jwks.keys[0],
      format: 'jwk',
    } as Parameters<typeof createPublicKey>[0]);
    expect(
      verify(
        'sha256',
        Buffer.from(`${header}.${claims}`),
        key,
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
    expect(
      JSON.parse(Buffer.from(header, 'base64url').toString()),
    ).toMatchObject({ alg: 'RS256', kid: 'test-kid' });
    const payload = JSON.parse(Buffer.from(claims, 'base64url').toString());
    expect(payload).toMatchObject({
      iss: 'http://issuer.test',
      aud: 'inference-gateway',
      sub: 'tenant-b',
    });
    expect(payload.exp - payload.iat).toBe(3600);
  });

  it('issues tokens with the issuer and audience the platform SecurityPolicy expects', () => {
    const objects = readObjects(path.join(CONFIGS_DIR, 'auth'));
    const policy = objects.find(o => o.kind === 'SecurityPolicy')!;
    const deployment = objects.find(o => o.kind === 'Deployment')!;
    const env = Object.fromEntries(
      deployment.spec.template.spec.containers[0].env.map(
        (e: { name: string; value: string }) => [e.name, e.value],
      ),
    );
    const provider = policy.spec.jwt.providers[0];
    expect(provider.issuer).toBe(env.ISSUER);
    expect(provider.audiences).toEqual([env.AUDIENCE]);
    expect(provider.remoteJWKS.uri).toBe(`${env.ISSUER}/.well-known/jwks.json`);
  });
});
