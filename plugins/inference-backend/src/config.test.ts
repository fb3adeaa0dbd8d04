import { ConfigReader, type JsonObject } from '@backstage/config';
import { readInferenceConfig } from './config';

const withJwt = (jwt: JsonObject) =>
  new ConfigReader({ inference: { publishing: { jwt } } });

const issuer = {
  issuer: 'https://issuer.example',
  jwksUri: 'https://issuer.example/jwks.json',
};

describe('readInferenceConfig: inference.publishing.jwt', () => {
  it('reads audiences', () => {
    expect(
      readInferenceConfig(withJwt({ ...issuer, audiences: ['a', 'b'] }))
        .publishing.jwt,
    ).toEqual({ ...issuer, audiences: ['a', 'b'] });
  });

  it('has no issuer when none is configured', () => {
    expect(
      readInferenceConfig(new ConfigReader({})).publishing.jwt,
    ).toBeUndefined();
  });

  it('refuses to start on an unknown key, naming it (the old `audience` spelling)', () => {
    expect(() =>
      readInferenceConfig(
        withJwt({ ...issuer, audience: 'inference-gateway' }),
      ),
    ).toThrow(
      /unknown key\(s\) 'inference\.publishing\.jwt\.audience' \(did you mean "audiences", a list\?\); the allowed keys are issuer, jwksUri, audiences/,
    );
    expect(() =>
      readInferenceConfig(
        withJwt({ ...issuer, audiences: ['x'], claimToHeaders: [] }),
      ),
    ).toThrow(/'inference\.publishing\.jwt\.claimToHeaders'/);
  });

  it('refuses an issuer without an audience to check', () => {
    for (const audiences of [undefined, [], [' '], Array(9).fill('a')]) {
      expect(() =>
        readInferenceConfig(
          withJwt(audiences ? { ...issuer, audiences } : issuer),
        ),
      ).toThrow(/'inference\.publishing\.jwt\.audiences' must list 1 to 8/);
    }
  });
});

describe('readInferenceConfig: inference.rateCaps', () => {
  it('has defaults', () => {
    expect(readInferenceConfig(new ConfigReader({})).rateCaps).toEqual({
      testInvocations: { requests: 30, windowSeconds: 60 },
      mutations: { requests: 60, windowSeconds: 60 },
    });
  });

  it('reads and checks the configured caps', () => {
    const caps = (rateCaps: JsonObject) =>
      readInferenceConfig(new ConfigReader({ inference: { rateCaps } }))
        .rateCaps;
    expect(caps({ mutations: { requests: 5 } }).mutations).toEqual({
      requests: 5,
      windowSeconds: 60,
    });
    expect(() => caps({ testInvocations: { requests: 0 } })).toThrow(
      /'inference\.rateCaps\.testInvocations\.requests' must be a positive integer/,
    );
    expect(() => caps({ mutations: { windowSeconds: 1.5 } })).toThrow(
      /'inference\.rateCaps\.mutations\.windowSeconds'/,
    );
  });
});

describe('readInferenceConfig: inference.usage', () => {
  const usage = (value: JsonObject) =>
    readInferenceConfig(new ConfigReader({ inference: { usage: value } }))
      .usage;

  it('is undefined without a Prometheus URL (the usage routes answer 501)', () => {
    expect(readInferenceConfig(new ConfigReader({})).usage).toBeUndefined();
    expect(usage({ timeoutSeconds: 5 })).toBeUndefined();
  });

  it('reads the URL and the deadline (10 s by default)', () => {
    expect(usage({ prometheusUrl: 'http://prometheus:9090/prom' })).toEqual({
      prometheusUrl: 'http://prometheus:9090/prom',
      timeoutMs: 10_000,
    });
    expect(
      usage({ prometheusUrl: 'https://p.example', timeoutSeconds: 2.5 })
        ?.timeoutMs,
    ).toBe(2500);
  });

  it('refuses to start on a URL that is not http(s), without repeating it', () => {
    for (const prometheusUrl of ['not a url', 'ftp://user:secret@p.example']) {
      let message = '';
      try {
        usage({ prometheusUrl });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/'inference\.usage\.prometheusUrl'/);
      expect(message).not.toContain('secret');
    }
    expect(() =>
      usage({ prometheusUrl: 'http://p', timeoutSeconds: 0 }),
    ).toThrow(/'inference\.usage\.timeoutSeconds' must be between 0 and 300/);
  });
});

describe('readInferenceConfig: several replicas (keyExpiry, publicationLock, recovery)', () => {
  const read = (inference: JsonObject) =>
    readInferenceConfig(new ConfigReader({ inference }));

  it('defaults to expiry every minute, 30 s leases and a look for interrupted changes every 30 s', () => {
    const config = read({});
    expect(config.keyExpiry).toEqual({ frequencySeconds: 60 });
    expect(config.publicationLock).toEqual({ leaseMs: 30_000 });
    expect(config.recovery).toEqual({ frequencySeconds: 30 });
  });

  it('reads them', () => {
    const config = read({
      keyExpiry: { frequencySeconds: 5 },
      publicationLock: { leaseSeconds: 3 },
      recovery: { frequencySeconds: 1 },
    });
    expect(config.keyExpiry.frequencySeconds).toBe(5);
    expect(config.publicationLock.leaseMs).toBe(3000);
    expect(config.recovery.frequencySeconds).toBe(1);
  });

  it('refuses to start on values out of bounds, naming the key', () => {
    expect(() => read({ keyExpiry: { frequencySeconds: 0 } })).toThrow(
      /'inference\.keyExpiry\.frequencySeconds' must be a whole number of seconds between 1 and 86400, got 0/,
    );
    expect(() => read({ publicationLock: { leaseSeconds: 1 } })).toThrow(
      /'inference\.publicationLock\.leaseSeconds'/,
    );
    expect(() => read({ recovery: { frequencySeconds: 0.5 } })).toThrow(
      /'inference\.recovery\.frequencySeconds'/,
    );
  });
});
