import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import {
  isValidLabelValue,
  LABEL_MANAGED_BY,
  LABEL_MODEL,
  LABEL_PUBLICATION,
  LABEL_TENANT,
  DNS_LABEL_PATTERN,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { stringify } from 'yaml';
import { KubeObject } from '../../models/types';
import { buildPublicationObjects } from './buildPublicationObjects';
import {
  apiKeys,
  candidateOf,
  irisIsvc,
  llamaIsvc,
  openAiInput,
  platform,
  predictiveInput,
  vllmJwtInput,
} from './publicationInputs.fixtures';
import { PublicationInput } from './types';
import {
  crdCatalog as catalog,
  crdProblems,
} from './__testUtils__/crdProblems';

const GOLDEN_DIR = path.join(__dirname, '__golden__');

function toYaml(objects: KubeObject[]): string {
  return objects
    .map(obj => stringify(obj, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
}

/** The reviewed golden file's content; `UPDATE_GOLDEN=1` rewrites it from `actual` first. */
function golden(name: string, actual: string): string {
  const file = path.join(GOLDEN_DIR, `${name}.yaml`);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.writeFileSync(file, actual);
  }
  return fs.readFileSync(file, 'utf8');
}

/** The message of what `run` throws ('' when it does not throw). */
function thrownMessage(run: () => unknown): string {
  try {
    run();
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

const scenarios: [string, PublicationInput][] = [
  // KServe huggingface runtime; the public name differs from --model_name, so it is overridden.
  ['openai-huggingface', openAiInput()],
  // A vLLM container, JWT on, an allowed custom hostname, public name = served name.
  [
    'openai-vllm-jwt',
    vllmJwtInput({
      requestsPerMinute: 30,
      requestsPerHour: 1000,
      tokensPerHour: 50000,
    }),
  ],
  ['predictive', predictiveInput()],
  // A blue-green candidate of a Standard-mode model at 20 % (docs/architecture.md, "Rollouts").
  [
    'predictive-candidate',
    predictiveInput({
      candidate: { isvc: candidateOf(irisIsvc), percent: 20 },
    }),
  ],
  [
    'openai-candidate',
    openAiInput({ candidate: { isvc: candidateOf(llamaIsvc), percent: 20 } }),
  ],
  [
    'predictive-jwt',
    predictiveInput({
      request: {
        publicModelName: 'sklearn-iris',
        auth: { apiKey: true, jwt: true },
        limits: { requestsPerMinute: 10, requestsPerHour: 100 },
      },
    }),
  ],
];

describe('buildPublicationObjects', () => {
  it('is checked by a CRD validator that does catch mistakes', () => {
    const [, securityPolicy] = buildPublicationObjects(openAiInput());
    const broken = {
      ...securityPolicy,
      spec: {
        ...(securityPolicy.spec as object),
        apiKeyAuth: { sanitize: 'yes' },
      },
    };
    expect(
      catalog.validate(broken, { strict: true }).map(c => c.field),
    ).toEqual(
      expect.arrayContaining([
        'spec.apiKeyAuth.sanitize',
        'spec.apiKeyAuth.credentialRefs',
      ]),
    );
  });

  describe.each(scenarios)('%s', (name, input) => {
    const objects = buildPublicationObjects(input);

    it('matches the reviewed golden file', () => {
      const actual = toYaml(objects);
      expect(actual).toBe(golden(name, actual));
    });

    it('validates against the CRD schemas and their CEL rules', () => {
      expect(crdProblems(objects)).toEqual([]);
    });

    it('puts every object in the tenant namespace with the ownership labels', () => {
      for (const obj of objects) {
        expect(obj.metadata.namespace).toBe(input.namespace);
        expect(obj.metadata.labels).toEqual({
          [LABEL_MANAGED_BY]: 'inference-portal',
          [LABEL_TENANT]: input.tenant,
          [LABEL_MODEL]: input.model.name,
          [LABEL_PUBLICATION]: input.model.name,
        });
      }
    });

    it('applies the guards before the route', () => {
      const kinds = objects.map(o => o.kind);
      expect(kinds.slice(0, 4)).toEqual([
        'Secret',
        'SecurityPolicy',
        'BackendTrafficPolicy',
        'AuthorizationPolicy',
      ]);
      expect(kinds[kinds.length - 1]).toBe(
        input.modelType === 'openai' ? 'AIGatewayRoute' : 'HTTPRoute',
      );
    });

    it('is deterministic', () => {
      expect(buildPublicationObjects(input)).toEqual(objects);
    });
  });

  it('keeps key values out of everything but the Secret data', () => {
    const objects = buildPublicationObjects(openAiInput());
    const secret = objects.find(o => o.kind === 'Secret')!;
    const { data, ...rest } = secret;
    const elsewhere = JSON.stringify([
      rest,
      ...objects.filter(o => o !== secret),
    ]);
    for (const key of apiKeys) {
      expect(elsewhere).not.toContain(key.value);
      expect(
        Buffer.from(
          (data as Record<string, string>)[key.id],
          'base64',
        ).toString(),
      ).toBe(key.value);
    }
  });

  it('reads keys from Authorization only when JWT does not need that header', () => {
    const extractFrom = (input: PublicationInput) =>
      (
        buildPublicationObjects(input).find(o => o.kind === 'SecurityPolicy')!
          .spec as any
      ).apiKeyAuth.extractFrom;
    expect(extractFrom(openAiInput())).toEqual([
      { headers: ['x-api-key', 'authorization'] },
    ]);
    expect(
      extractFrom(
        openAiInput({
          request: {
            ...openAiInput().request,
            auth: { apiKey: true, jwt: true },
          },
        }),
      ),
    ).toEqual([{ headers: ['x-api-key'] }]);
  });

  it('writes one rate-limit rule per configured limit, and no policy without limits', () => {
    const rules = (input: PublicationInput) =>
      (
        buildPublicationObjects(input).find(
          o => o.kind === 'BackendTrafficPolicy',
        )?.spec as any
      )?.rateLimit.global.rules;
    const withLimits = (limits: PublicationInput['request']['limits']) =>
      openAiInput({ request: { ...openAiInput().request, limits } });
    expect(rules(withLimits({ tokensPerHour: 5000 }))).toEqual([
      expect.objectContaining({ limit: { requests: 5000, unit: 'Hour' } }),
    ]);
    expect(rules(withLimits({ requestsPerMinute: 5 }))).toEqual([
      {
        clientSelectors: [
          { headers: [{ name: 'x-inference-client-id', type: 'Distinct' }] },
        ],
        limit: { requests: 5, unit: 'Minute' },
      },
    ]);
    expect(rules(withLimits({}))).toBeUndefined();
  });

  describe('refuses what it cannot enforce', () => {
    const problemsOf = (input: PublicationInput) => {
      expect(() => buildPublicationObjects(input)).toThrow(InputError);
      return thrownMessage(() => buildPublicationObjects(input));
    };

    it('token limits on a predictive model', () => {
      expect(
        problemsOf(
          predictiveInput({
            request: {
              publicModelName: 'sklearn-iris',
              auth: { apiKey: true },
              limits: { tokensPerHour: 1000 },
            },
          }),
        ),
      ).toContain('limits.tokensPerHour');
    });

    it('JWT when the platform has no issuer', () => {
      expect(
        problemsOf(
          openAiInput({
            platform: { ...platform, jwt: undefined },
            request: {
              ...openAiInput().request,
              auth: { apiKey: true, jwt: true },
            },
          }),
        ),
      ).toContain('auth.jwt');
    });

    it('a public name for a predictive model that differs from its own', () => {
      expect(
        problemsOf(
          predictiveInput({
            request: {
              ...predictiveInput().request,
              publicModelName: 'iris-v2',
            },
          }),
        ),
      ).toContain('publicModelName');
    });

    it('a hostname outside the allowed list', () => {
      for (const hostname of ['evil.example.com', 'a.b.inference-in-a-box']) {
        expect(
          problemsOf(
            openAiInput({ request: { ...openAiInput().request, hostname } }),
          ),
        ).toContain(`hostname: ${hostname}`);
      }
    });

    it('lists every problem at once', () => {
      const message = problemsOf(
        predictiveInput({
          platform: { ...platform, jwt: undefined, allowedHostnames: [] },
          request: {
            publicModelName: 'sklearn-iris',
            hostname: 'x.inference-in-a-box',
            auth: { apiKey: true, jwt: true },
            limits: { tokensPerHour: 1000 },
          },
        }),
      );
      expect(message).toMatch(/tokensPerHour.*auth\.jwt.*hostname/);
    });
  });

  it('accepts the default hostname without an allow list', () => {
    const objects = buildPublicationObjects(
      openAiInput({
        platform: { ...platform, allowedHostnames: undefined },
        request: {
          ...openAiInput().request,
          hostname: platform.defaultHostname,
        },
      }),
    );
    expect((objects[objects.length - 1].spec as any).hostnames).toEqual([
      'api.router.inference-in-a-box',
    ]);
  });

  it('refuses a model that is not the InferenceService passed', () => {
    expect(() =>
      buildPublicationObjects(
        openAiInput({ model: { name: 'other', isvc: irisIsvc } }),
      ),
    ).toThrow(/is not model other/);
  });

  it('refuses malformed API keys without echoing their value', () => {
    const weak = 'short-key';
    const message = thrownMessage(() =>
      buildPublicationObjects(
        openAiInput({ apiKeys: [{ ...apiKeys[0], value: weak }] }),
      ),
    );
    expect(message).toContain('API key "ci-7k2p" must be');
    expect(message).not.toContain(weak);
    expect(() =>
      buildPublicationObjects(
        openAiInput({
          apiKeys: [apiKeys[0], { ...apiKeys[1], id: apiKeys[0].id }],
        }),
      ),
    ).toThrow(/not unique/);
  });

  describe('long names', () => {
    const longTenant =
      'tenant-with-a-really-long-name-for-the-platform-team-of-the-year';
    const withIsvcName = (modelName: string): PublicationInput => {
      const isvc = {
        ...llamaLike(modelName),
        metadata: { name: modelName, namespace: 'tenant-long' },
      };
      return openAiInput({
        tenant: longTenant,
        namespace: 'tenant-long',
        model: { name: modelName, isvc },
      });
    };
    function llamaLike(name: string) {
      return { ...openAiInput().model.isvc, metadata: { name } };
    }

    it('keeps a 45-character model name (the form maximum) whole', () => {
      const model = `m${'x'.repeat(43)}m`;
      const objects = buildPublicationObjects(withIsvcName(model));
      for (const obj of objects) {
        expect(obj.metadata.name.startsWith(model)).toBe(true);
        expect(obj.metadata.name.length).toBeLessThanOrEqual(63);
        for (const value of Object.values(obj.metadata.labels!)) {
          expect(isValidLabelValue(value)).toBe(true);
        }
      }
      expect(crdProblems(objects)).toEqual([]);
    });

    it('shortens names of longer discovered models with a hash, all within 63 characters', () => {
      const model = `llm-${'a'.repeat(55)}-z`;
      const objects = buildPublicationObjects(withIsvcName(model));
      const names = objects.map(o => o.metadata.name);
      for (const objectName of names) {
        expect(objectName.length).toBeLessThanOrEqual(63);
        expect(objectName).toMatch(DNS_LABEL_PATTERN);
      }
      // The predictor reference keeps the real InferenceService name.
      const backend = objects.find(o => o.kind === 'Backend')!;
      expect(JSON.stringify(backend.spec)).toContain(
        `${model}-predictor.tenant-long`,
      );
      for (const obj of objects) {
        expect(isValidLabelValue(obj.metadata.labels![LABEL_TENANT])).toBe(
          true,
        );
        expect(isValidLabelValue(obj.metadata.labels![LABEL_MODEL])).toBe(true);
      }
      expect(crdProblems(objects)).toEqual([]);
    });
  });
});
