import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../repoPaths';
import {
  Action,
  BEFORE_ISSUE_16,
  BOOTSTRAP_STEPS,
  CURRENT,
  changes,
  DOCKER_IMAGE_BUILT,
  chartName,
  dryRun,
  objectsIn,
  runWithStubs,
  toAction,
  Tree,
} from './bootstrapPlan';
import { KubeObject } from './readManifests';

/**
 * The order of scripts/bootstrap.sh, read from `--dry-run` (and, for the bootstrap as it was before
 * issue 16, from a run with stand-in tools): every custom resource after its CRD, every object an
 * admission webhook (failurePolicy Fail) validates or mutates after the webhook's Deployment is
 * waited for, the serving runtimes after KServe, Knative's settings after Knative's webhooks; and
 * each step's done-check looks at the step's end state, so a re-run repairs a failed first run.
 */

interface Step {
  step: string;
  actions: Action[];
}

/** The plan of a tree: each step run alone with stand-in tools (`--only STEP`), verify left out. */
function stubPlan(tree: Tree, rules = DOCKER_IMAGE_BUILT): Step[] {
  const steps = [
    ...runWithStubs(tree, ['--dry-run']).stdout.matchAll(
      /^ +\d+\. ([a-z-]+) /gm,
    ),
  ].map(m => m[1]);
  return steps
    .filter(step => step !== 'verify')
    .map(step => ({
      step,
      actions: changes(runWithStubs(tree, ['--only', step], rules)).map(
        toAction,
      ),
    }));
}

function dryRunPlan(): Step[] {
  return dryRun()
    .steps.filter(s => s.step !== 'verify')
    .map(s => ({
      step: s.step,
      actions: s.commands.filter(c => c[0] !== 'require').map(toAction),
    }));
}

const flat = (steps: Step[]) =>
  steps.flatMap(s => s.actions.map(action => ({ step: s.step, action })));

// --- what each action creates --------------------------------------------------------------------

interface Created {
  group: string;
  kind: string;
  namespace?: string;
  name?: string;
  labels?: Record<string, string>;
  /** Where it comes from, for messages. */
  from: string;
}

const groupOf = (apiVersion: string) =>
  apiVersion.includes('/') ? apiVersion.split('/')[0] : '';

/**
 * Objects applied from URLs and created by charts that a check needs to know about, each citing
 * the upstream file that creates them.
 */
const URL_OBJECTS: Array<{ match: RegExp; creates: Omit<Created, 'from'>[] }> =
  [
    {
      // knative/serving knative-v1.23.0 config/core/deployments/*.yaml: the pods of knative-serving.
      match: /\/knative\/serving\/releases\/download\/.*\/serving-core\.yaml$/,
      creates: [{ group: '', kind: 'Pod', namespace: 'knative-serving' }],
    },
    {
      // knative-extensions/net-istio config/202-gateway.yaml, 203-local-gateway.yaml (Istio Gateways),
      // 400-webhook-peer-authentication.yaml, 500-controller.yaml, 500-webhook-deployment.yaml.
      match: /\/knative\/net-istio\/releases\/download\/.*\/net-istio\.yaml$/,
      creates: [
        {
          group: 'networking.istio.io',
          kind: 'Gateway',
          namespace: 'knative-serving',
        },
        {
          group: 'security.istio.io',
          kind: 'PeerAuthentication',
          namespace: 'knative-serving',
        },
        { group: '', kind: 'Pod', namespace: 'knative-serving' },
      ],
    },
  ];
const CHART_OBJECTS: Record<string, Omit<Created, 'from'>[]> = {
  // kserve/kserve v0.20.0 charts/kserve-resources/files/common/certmanager.yaml
  'kserve-resources': [
    { group: 'cert-manager.io', kind: 'Issuer', namespace: 'kserve' },
    { group: 'cert-manager.io', kind: 'Certificate', namespace: 'kserve' },
  ],
  // kserve/kserve v0.20.0 charts/kserve-runtime-configs/files/runtimes/resources.yaml
  'kserve-runtime-configs': [
    { group: 'serving.kserve.io', kind: 'ClusterServingRuntime' },
  ],
};

/** The objects of configs/ an action applies, plus the pods that follow from them. */
function createdBy(action: Action, tree: Tree): Created[] {
  if (action.type === 'helm')
    return (CHART_OBJECTS[chartName(action.chart)] ?? []).map(c => ({
      ...c,
      from: `chart ${chartName(action.chart)}`,
    }));
  if (action.type !== 'apply' || action.target === '-') return [];
  if (/^https?:/.test(action.target))
    return URL_OBJECTS.filter(u => u.match.test(action.target)).flatMap(u =>
      u.creates.map(c => ({ ...c, from: action.target })),
    );
  return objectsIn(tree, action.target).flatMap(o =>
    withPods(o, action.target, tree),
  );
}

function withPods(o: KubeObject, from: string, tree: Tree): Created[] {
  const self: Created = {
    group: groupOf(o.apiVersion),
    kind: o.kind,
    namespace: o.metadata?.namespace,
    name: o.metadata?.name,
    labels: o.metadata?.labels,
    from,
  };
  const pods: Created[] = [];
  if (['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind))
    pods.push({
      group: '',
      kind: 'Pod',
      namespace: o.metadata.namespace,
      labels: o.spec?.template?.metadata?.labels,
      from: `pods of ${o.kind} ${o.metadata.name} (${from})`,
    });
  if (o.kind === 'InferenceService')
    pods.push({
      group: '',
      kind: 'Pod',
      namespace: o.metadata.namespace,
      from: `predictor pods of ${o.metadata.name} (${from})`,
    });
  if (self.group === 'gateway.networking.k8s.io' && o.kind === 'Gateway') {
    // Envoy Gateway labels its proxies app.kubernetes.io/managed-by=envoy-gateway (envoyproxy/gateway
    // v1.9.0 internal/infrastructure/kubernetes/proxy/resource.go EnvoyAppLabel) and adds the pod
    // labels of the Gateway's EnvoyProxy (configs/envoy-gateway/envoyproxy.yaml).
    const proxy = objectsIn(tree, 'configs/envoy-gateway/envoyproxy.yaml').find(
      p => p.kind === 'EnvoyProxy',
    );
    pods.push({
      group: '',
      kind: 'Pod',
      namespace: o.metadata.namespace,
      labels: {
        'app.kubernetes.io/managed-by': 'envoy-gateway',
        ...proxy?.spec?.provider?.kubernetes?.envoyDeployment?.pod?.labels,
      },
      from: `Envoy proxies of Gateway ${o.metadata.name} (${from})`,
    });
  }
  return [self, ...pods];
}

// --- CRDs ------------------------------------------------------------------------------------------

const BUILTIN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'policy',
  'autoscaling',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
]);

/** Which action installs the CRDs of an API group (each row citing the file with the CRDs). */
const CRD_PROVIDERS: Record<
  string,
  { cite: string; provides: (a: Action) => boolean }
> = {
  'gateway.networking.k8s.io': {
    cite: 'kubernetes-sigs/gateway-api release experimental-install.yaml',
    provides: a =>
      a.type === 'apply' &&
      a.target.includes('/kubernetes-sigs/gateway-api/releases/'),
  },
  'inference.networking.k8s.io': {
    cite: 'kubernetes-sigs/gateway-api-inference-extension release manifests.yaml',
    provides: a =>
      a.type === 'apply' &&
      a.target.includes('/gateway-api-inference-extension/releases/'),
  },
  'gateway.envoyproxy.io': {
    cite: 'envoyproxy/gateway v1.9.0 charts/gateway-crds-helm, crds.envoyGateway.enabled',
    provides: a =>
      a.type === 'helm-template' &&
      chartName(a.chart) === 'gateway-crds-helm' &&
      a.sets.includes('crds.envoyGateway.enabled=true'),
  },
  'aigateway.envoyproxy.io': {
    cite: 'envoyproxy/ai-gateway v1.1.0 manifests/charts/ai-gateway-crds-helm/templates',
    provides: a =>
      a.type === 'helm' && chartName(a.chart) === 'ai-gateway-crds-helm',
  },
  'serving.kserve.io': {
    cite: 'kserve/kserve v0.20.0 charts/kserve-crd',
    provides: a => a.type === 'helm' && chartName(a.chart) === 'kserve-crd',
  },
  'security.istio.io': {
    cite: 'istio/istio 1.30.3 manifests/charts/base/files/crd-all.gen.yaml',
    provides: a => a.type === 'helm' && a.chart === 'istio/base',
  },
  'networking.istio.io': {
    cite: 'istio/istio 1.30.3 manifests/charts/base/files/crd-all.gen.yaml',
    provides: a => a.type === 'helm' && a.chart === 'istio/base',
  },
  'serving.knative.dev': {
    cite: 'knative/serving release serving-crds.yaml',
    provides: a => a.type === 'apply' && /\/serving-crds\.yaml$/.test(a.target),
  },
  'cert-manager.io': {
    cite: 'cert-manager/cert-manager v1.19.1 deploy/charts/cert-manager, crds.enabled',
    provides: a =>
      a.type === 'helm' &&
      chartName(a.chart) === 'cert-manager' &&
      a.sets.includes('crds.enabled=true'),
  },
};

function crdOrderProblems(steps: Step[], tree: Tree): string[] {
  const problems: string[] = [];
  const actions = flat(steps);
  actions.forEach(({ step, action }, i) => {
    for (const object of createdBy(action, tree)) {
      if (BUILTIN_GROUPS.has(object.group)) continue;
      const provider = CRD_PROVIDERS[object.group];
      if (!provider) {
        problems.push(
          `${object.kind}.${object.group} (${object.from}): no known CRD provider`,
        );
        continue;
      }
      if (!actions.slice(0, i).some(a => provider.provides(a.action)))
        problems.push(
          `${step}: ${object.kind}.${object.group} from ${object.from} comes before its CRD (${provider.cite})`,
        );
    }
  });
  return problems;
}

// --- admission webhooks ----------------------------------------------------------------------------

/** Knative Serving's ConfigMaps, validated by its configuration webhook (labels in each file). */
const KNATIVE_CONFIGMAPS = [
  'config-autoscaler',
  'config-certmanager',
  'config-defaults',
  'config-deployment',
  'config-domain',
  'config-features',
  'config-gc',
  'config-leader-election',
  'config-logging',
  'config-network',
  'config-observability',
  'config-tracing',
];

interface Webhook {
  name: string;
  cite: string;
  namespace: string;
  deployment: string;
  service: string;
  applies: (object: Created, injected: Set<string>) => boolean;
}

const WEBHOOKS: Webhook[] = [
  {
    name: 'config.webhook.serving.knative.dev',
    cite: 'knative/serving knative-v1.23.0 config/core/webhooks/configmap-validation.yaml (failurePolicy Fail; objectSelector on the labels of config/core/configmaps/*.yaml)',
    namespace: 'knative-serving',
    deployment: 'webhook',
    service: 'webhook',
    applies: o =>
      o.kind === 'ConfigMap' &&
      o.namespace === 'knative-serving' &&
      KNATIVE_CONFIGMAPS.includes(o.name ?? ''),
  },
  {
    name: 'config.webhook.istio.networking.internal.knative.dev',
    cite: 'knative-extensions/net-istio config/600-validating-webhook.yaml (failurePolicy Fail; config-istio of config/400-config-istio.yaml)',
    namespace: 'knative-serving',
    deployment: 'net-istio-webhook',
    service: 'net-istio-webhook',
    applies: o =>
      o.kind === 'ConfigMap' &&
      o.namespace === 'knative-serving' &&
      o.name === 'config-istio',
  },
  {
    name: 'istio-validator-istio-system',
    cite: 'istio/istio 1.30.3 manifests/charts/istio-control/istio-discovery/templates/validatingwebhookconfiguration.yaml',
    namespace: 'istio-system',
    deployment: 'istiod',
    service: 'istiod',
    applies: o => o.group.endsWith('.istio.io'),
  },
  {
    name: 'istio-sidecar-injector',
    cite: 'istio/istio 1.30.3 manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml (failurePolicy Fail)',
    namespace: 'istio-system',
    deployment: 'istiod',
    service: 'istiod',
    applies: (o, injected) =>
      o.kind === 'Pod' &&
      (injected.has(o.namespace ?? '') ||
        o.labels?.['sidecar.istio.io/inject'] === 'true'),
  },
  {
    name: 'KServe validating and defaulting webhooks',
    cite: 'kserve/kserve v0.20.0 charts/kserve-resources/files/kserve/resources.yaml (inferenceservice.serving.kserve.io, clusterservingruntime.serving.kserve.io, servingruntime.serving.kserve.io)',
    namespace: 'kserve',
    deployment: 'kserve-controller-manager',
    service: 'kserve-webhook-server-service',
    applies: o =>
      o.group === 'serving.kserve.io' &&
      ['InferenceService', 'ClusterServingRuntime', 'ServingRuntime'].includes(
        o.kind,
      ),
  },
  {
    name: 'webhook.cert-manager.io',
    cite: 'cert-manager/cert-manager v1.19.1 deploy/charts/cert-manager/templates/webhook-validating-webhook.yaml (failurePolicy Fail)',
    namespace: 'cert-manager',
    deployment: 'cert-manager-webhook',
    service: 'cert-manager-webhook',
    applies: o => o.group === 'cert-manager.io',
  },
  {
    name: 'envoy-ai-gateway-gateway-pod-mutator',
    cite: 'envoyproxy/ai-gateway v1.1.0 manifests/charts/ai-gateway-helm/templates/admission_webhook.yaml (failurePolicy Fail; objectSelector controller.mutatingWebhook.objectSelector of values.yaml)',
    namespace: 'envoy-ai-gateway-system',
    deployment: 'ai-gateway-controller',
    service: 'ai-gateway-controller',
    applies: o =>
      o.kind === 'Pod' &&
      o.labels?.['app.kubernetes.io/managed-by'] === 'envoy-gateway',
  },
];

function injectedNamespaces(steps: Step[], tree: Tree): Set<string> {
  return new Set(
    flat(steps)
      .flatMap(({ action }) => createdBy(action, tree))
      .filter(
        o =>
          o.kind === 'Namespace' && o.labels?.['istio-injection'] === 'enabled',
      )
      .map(o => o.name ?? ''),
  );
}

function webhookOrderProblems(steps: Step[], tree: Tree): string[] {
  const problems: string[] = [];
  const injected = injectedNamespaces(steps, tree);
  const actions = flat(steps);
  actions.forEach(({ step, action }, i) => {
    for (const object of createdBy(action, tree)) {
      for (const webhook of WEBHOOKS.filter(w => w.applies(object, injected))) {
        const waited = actions
          .slice(0, i)
          .some(
            ({ action: a }) =>
              a.type === 'wait-deployment' &&
              a.namespace === webhook.namespace &&
              (a.name === webhook.deployment || a.name === '*'),
          );
        if (!waited)
          problems.push(
            `${step}: ${object.kind} ${object.name ?? ''} from ${
              object.from
            } comes before the Deployment ${webhook.namespace}/${
              webhook.deployment
            } of webhook ${webhook.name} is waited for (${webhook.cite})`,
          );
      }
    }
  });
  return problems;
}

function indexOf(steps: Step[], predicate: (a: Action) => boolean): number {
  return flat(steps).findIndex(({ action }) => predicate(action));
}
const isHelm = (name: string) => (a: Action) =>
  a.type === 'helm' && chartName(a.chart) === name;
const applies = (file: string) => (a: Action) =>
  a.type === 'apply' && a.target === file;
const waitsFor = (namespace: string, deployment: string) => (a: Action) =>
  a.type === 'wait-deployment' &&
  a.namespace === namespace &&
  a.name === deployment;

// --- the checks ------------------------------------------------------------------------------------

describe('scripts/bootstrap.sh --dry-run', () => {
  const run = dryRun();
  const plan = dryRunPlan();

  it('prints every step with the commands it runs, without any tool', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(plan.map(s => s.step)).toEqual(BOOTSTRAP_STEPS);
    for (const { step, actions } of plan.filter(
      s => s.step !== 'prerequisites',
    ))
      expect([step, actions.length > 0]).toEqual([step, true]);
    // the verify step lists its checks
    expect(run.stdout).toMatch(/^STEP +RESULT +CHECK$/m);
  });

  it('is what a run with stand-in tools does, command for command', () => {
    const stubbed = stubPlan(CURRENT);
    expect(stubbed.map(s => s.step)).toEqual(plan.map(s => s.step));
    for (const [i, { step, actions }] of stubbed.entries())
      expect({ step, commands: actions.map(a => a.command.join(' ')) }).toEqual(
        {
          step,
          commands: plan[i].actions.map(a => a.command.join(' ')),
        },
      );
  });

  it('applies every custom resource after its CRD', () => {
    expect(crdOrderProblems(plan, CURRENT)).toEqual([]);
  });

  it("creates every object an admission webhook handles after the webhook's Deployment is waited for", () => {
    expect(webhookOrderProblems(plan, CURRENT)).toEqual([]);
  });

  it('waits for a ready endpoint of each webhook Service after its Deployment', () => {
    const actions = flat(plan).map(a => a.action);
    for (const webhook of WEBHOOKS) {
      const rollout = actions.findIndex(
        waitsFor(webhook.namespace, webhook.deployment),
      );
      const endpoints = actions.findIndex(
        a =>
          a.type === 'wait-endpoints' &&
          a.namespace === webhook.namespace &&
          a.service === webhook.service,
      );
      expect([webhook.name, rollout >= 0, endpoints > rollout]).toEqual([
        webhook.name,
        true,
        true,
      ]);
    }
  });

  it('installs the serving runtimes after KServe and its webhook', () => {
    const runtimes = indexOf(plan, isHelm('kserve-runtime-configs'));
    expect(runtimes).toBeGreaterThan(indexOf(plan, isHelm('kserve-resources')));
    expect(runtimes).toBeGreaterThan(
      indexOf(plan, waitsFor('kserve', 'kserve-controller-manager')),
    );
  });

  it("applies Knative's settings after Knative's and net-istio's webhooks", () => {
    const settings = indexOf(
      plan,
      applies('configs/kserve/knative-config.yaml'),
    );
    expect(settings).toBeGreaterThan(
      indexOf(plan, waitsFor('knative-serving', 'webhook')),
    );
    expect(settings).toBeGreaterThan(
      indexOf(plan, waitsFor('knative-serving', 'net-istio-webhook')),
    );
  });
});

describe('finding 2 of issue 16, before it: the bootstrap as it was', () => {
  const before = stubPlan(BEFORE_ISSUE_16);

  it("applied Knative's settings before Knative's webhook was waited for (fails the webhook check)", () => {
    const problems = webhookOrderProblems(before, BEFORE_ISSUE_16);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^knative: ConfigMap config-autoscaler .* webhook config\.webhook\.serving\.knative\.dev/,
        ),
      ]),
    );
  });

  it('the CRD check passes on it too (the order of the CRDs was right)', () => {
    expect(crdOrderProblems(before, BEFORE_ISSUE_16)).toEqual([]);
  });
});

/** A cluster where the Knative step ran, but its settings were rejected by the webhook. */
const KNATIVE_INSTALLED_SETTINGS_MISSING = [
  {
    tool: 'kubectl',
    pattern:
      '^get deployment (controller|net-istio-controller) -n knative-serving',
    status: 0,
    output: '1.23.0',
  },
];

describe('a re-run after a first run whose Knative settings were rejected', () => {
  function knativeSettingsApplied(tree: Tree): boolean {
    const run = runWithStubs(
      tree,
      ['--only', 'knative'],
      KNATIVE_INSTALLED_SETTINGS_MISSING,
    );
    return changes(run)
      .map(toAction)
      .some(applies('configs/kserve/knative-config.yaml'));
  }

  it('applies them now: the done-check compares the cluster with configs/ (kubectl diff)', () => {
    expect(knativeSettingsApplied(CURRENT)).toBe(true);
  });

  it('skipped the step for good before issue 16 (the done-check looked at a version label only)', () => {
    expect(knativeSettingsApplied(BEFORE_ISSUE_16)).toBe(false);
  });

  it('and a first run stops at the failed command instead of carrying on', () => {
    const run = runWithStubs(
      CURRENT,
      ['--only', 'knative'],
      [{ tool: 'kubectl', pattern: 'knative-config\\.yaml', status: 1 }],
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('step knative failed');
    const after = changes(run).map(toAction);
    // tried 5 times, then stopped: the activator policy and the final wait never ran
    expect(
      after.filter(applies('configs/kserve/knative-config.yaml')),
    ).toHaveLength(5);
    expect(
      after.some(applies('configs/kserve/knative-activator-policy.yaml')),
    ).toBe(false);
  });
});

describe('scripts/bootstrap.sh --verify', () => {
  const rows = (stdout: string) =>
    [...stdout.matchAll(/^([a-z-]+) +(ok|FAIL|-) +(.+)$/gm)].map(m => ({
      step: m[1],
      result: m[2],
      check: m[3],
    }));

  it('lists a check of the end state of every step (--verify --dry-run, without any tool)', () => {
    const run = dryRun('--verify');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const listed = rows(run.stdout);
    expect(new Set(listed.map(r => r.step))).toEqual(
      new Set(dryRunPlan().map(s => s.step)),
    );
    expect(listed.every(r => r.result === '-')).toBe(true);
    expect(listed.map(r => r.check)).toEqual(
      expect.arrayContaining([
        'ClusterServingRuntimes kserve-sklearnserver kserve-huggingfaceserver kserve-torchserve installed and enabled',
        'configs/kserve/knative-config.yaml applied as it is (scale to zero, cluster-local domain, mesh-only)',
        'no Istio VirtualService owned by an InferenceService',
        "every principal of the tenants' AuthorizationPolicies is an existing ServiceAccount",
      ]),
    );
  });

  it('is documented in docs/platform.md with the output of a complete install', () => {
    const docs = fs.readFileSync(
      path.join(REPO_ROOT, 'docs/platform.md'),
      'utf8',
    );
    const block =
      /Expected output of `--verify`[^]*?```text\n([^]*?)```/.exec(docs)?.[1] ??
      '';
    const documented = rows(block);
    expect(documented.every(r => r.result === 'ok')).toBe(true);
    expect(documented.map(r => `${r.step} ${r.check}`)).toEqual(
      rows(dryRun('--verify').stdout).map(r => `${r.step} ${r.check}`),
    );
  });

  it('fails, with every check as a row, on a machine where nothing is installed', () => {
    const run = runWithStubs(
      CURRENT,
      ['--verify'],
      [{ tool: 'kubectl', pattern: '^wait ', status: 1 }],
    );
    expect(run.status).toBe(1);
    const table = rows(run.stdout);
    expect(table.find(r => r.check === 'kubectl is installed')?.result).toBe(
      'ok',
    );
    expect(table.filter(r => r.result === 'ok').map(r => r.step)).toEqual(
      Array(7).fill('prerequisites'),
    );
    expect(run.stdout).toMatch(/^\d+ check\(s\) failed$/m);
  });

  it('passes a step whose end state is there', () => {
    const run = runWithStubs(
      CURRENT,
      ['--verify'],
      [
        ...KNATIVE_INSTALLED_SETTINGS_MISSING,
        {
          tool: 'kubectl',
          pattern: '^diff .*configs/kserve/knative',
          status: 0,
        },
        {
          tool: 'kubectl',
          pattern: '^get deployment activator -n knative-serving',
          status: 0,
          output: 'activator',
        },
      ],
    );
    const knative = rows(run.stdout).filter(r => r.step === 'knative');
    expect(knative.length).toBe(5);
    expect(knative.map(r => r.result)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  });
});

describe('stand-in tools', () => {
  it('pass shellcheck', () => {
    if (process.env.SKIP_SHELLCHECK === '1') return;
    const result = spawnSync(
      'shellcheck',
      [path.join(__dirname, '__fixtures__/stub-tools/stub.sh')],
      { encoding: 'utf8' },
    );
    if (result.error)
      throw new Error(
        'shellcheck is not installed: install it (apt-get install -y shellcheck) or set SKIP_SHELLCHECK=1',
      );
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
