import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../repoPaths';
import { KubeObject, readObjects } from './readManifests';

/**
 * Runs scripts/bootstrap.sh offline and reads what it does as a list of commands: `--dry-run`
 * prints them (kind, kubectl, helm, docker and openssl replaced by printers), and a run with
 * stand-in tools on PATH (`__fixtures__/stub-tools/stub.sh`) logs them. The second also works for
 * the bootstrap as it was before issue 16 (`__fixtures__/before-issue-16`), which had no such plan.
 */

const FIXTURES = path.join(
  REPO_ROOT,
  'packages/manifest-validator/src/platform/__fixtures__',
);
const STUB = path.join(FIXTURES, 'stub-tools/stub.sh');
const STUBBED_TOOLS = ['kind', 'kubectl', 'helm', 'docker', 'openssl', 'curl'];

/** A checkout: scripts/bootstrap.sh and configs/, some folders possibly from an older version. */
export interface Tree {
  name: string;
  root: string;
  /** Folders (relative) taken from `root`; every other path resolves to the repository. */
  overrides: string[];
}

export const CURRENT: Tree = { name: 'now', root: REPO_ROOT, overrides: [] };
export const BEFORE_ISSUE_16: Tree = {
  name: 'before issue 16',
  root: path.join(FIXTURES, 'before-issue-16'),
  overrides: ['scripts', 'configs/istio', 'configs/kserve', 'configs/tenants'],
};

/** Absolute path of a repository-relative path in a tree. */
export function resolveIn(tree: Tree, relative: string): string {
  const overridden = tree.overrides.some(
    dir => relative === dir || relative.startsWith(`${dir}/`),
  );
  return path.join(overridden ? tree.root : REPO_ROOT, relative);
}

/** The objects of a file or folder (not recursive) of a tree; none if it does not exist there. */
export function objectsIn(tree: Tree, relative: string): KubeObject[] {
  const full = resolveIn(tree, relative);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isDirectory()) return readObjects(full);
  return parseAllDocuments(fs.readFileSync(full, 'utf8'))
    .map(d => d.toJS() as KubeObject)
    .filter(Boolean);
}

/** A command as run: the tool, then its arguments, repository paths made relative. */
export type Command = string[];

export interface DryRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The commands of each step, in order. */
  steps: Array<{ step: string; commands: Command[] }>;
}

/** `scripts/bootstrap.sh --dry-run [args]` with an empty PATH (no tool at all). */
export function dryRun(...args: string[]): DryRun {
  const emptyBin = fs.mkdtempSync(path.join(os.tmpdir(), 'no-tools-'));
  const run = spawnSync(
    '/bin/bash',
    [path.join(REPO_ROOT, 'scripts/bootstrap.sh'), '--dry-run', ...args],
    { env: { PATH: emptyBin }, cwd: os.tmpdir(), encoding: 'utf8' },
  );
  fs.rmSync(emptyBin, { recursive: true, force: true });
  const steps: DryRun['steps'] = [];
  for (const line of run.stdout.split('\n')) {
    const header = /^==> \[\d+\/\d+\] ([a-z-]+): /.exec(line);
    if (header) steps.push({ step: header[1], commands: [] });
    else if (/^ {4}\S/.test(line) && steps.length > 0)
      steps[steps.length - 1].commands.push(line.trim().split(' '));
  }
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, steps };
}

/** A machine where the portal's image was built (the dry run assumes it). */
export const DOCKER_IMAGE_BUILT: StubRule[] = [
  { tool: 'docker', pattern: '^image inspect', status: 0 },
];

/** A stand-in tool's answer: the first rule whose pattern matches the arguments wins. */
export interface StubRule {
  tool: string;
  pattern: string;
  status: number;
  output?: string;
}

export interface StubRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Every call of a stand-in tool, queries included, in order. */
  calls: Command[];
}

/** Runs the tree's scripts/bootstrap.sh with stand-in tools that log every call. */
export function runWithStubs(
  tree: Tree,
  args: string[],
  rules: StubRule[] = [],
): StubRun {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bootstrap-stubs-'));
  try {
    const bin = path.join(work, 'bin');
    fs.mkdirSync(bin);
    for (const tool of STUBBED_TOOLS) {
      fs.writeFileSync(
        path.join(bin, tool),
        `#!/bin/bash\nSTUB_TOOL=${tool} exec /bin/bash ${JSON.stringify(
          STUB,
        )} "$@"\n`,
        { mode: 0o755 },
      );
    }
    const log = path.join(work, 'calls.log');
    const rulesFile = path.join(work, 'rules.tsv');
    fs.writeFileSync(log, '');
    fs.writeFileSync(
      rulesFile,
      rules
        .map(r => [r.tool, r.pattern, r.status, r.output ?? ''].join('\t'))
        .join('\n') + (rules.length ? '\n' : ''),
    );
    const run = spawnSync(
      '/bin/bash',
      [path.join(resolveIn(tree, 'scripts'), 'bootstrap.sh'), ...args],
      {
        env: {
          PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`,
          HOME: work,
          TMPDIR: work,
          STUB_LOG: log,
          STUB_RULES: rulesFile,
          RETRY_DELAY_SECONDS: '0',
        },
        cwd: work,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    const calls = fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(line =>
        line.split('\x1f').map(arg => normalize(arg, [tree.root, work])),
      );
    return {
      status: run.status,
      stdout: run.stdout,
      stderr: run.stderr,
      calls,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function normalize(arg: string, roots: string[]): string {
  let result = arg;
  for (const root of [...roots, REPO_ROOT]) {
    result = result.split(`${root}/`).join('');
  }
  // Scratch folders for generated keys (mktemp -d under TMPDIR), as the dry run prints them.
  return result.replace(/(^|=)tmp\.[A-Za-z0-9]+\//g, '$1<tmp>/');
}

/** Calls that only read (the same list as is_query in scripts/lib/platform.sh), and key generation. */
export function isQuery(command: Command): boolean {
  const [tool, sub, third] = command;
  const pair = `${tool} ${sub ?? ''}`;
  return (
    [
      'kubectl get',
      'kubectl diff',
      'kubectl version',
      'kubectl config',
      'kubectl auth',
      'helm list',
      'helm status',
      'helm get',
      'helm show',
      'kind get',
      'docker info',
      'openssl rand',
    ].includes(pair) ||
    (pair === 'docker image' && third === 'inspect')
  );
}

export type Action =
  | {
      type: 'helm';
      release: string;
      chart: string;
      version?: string;
      namespace?: string;
      valuesFiles: string[];
      sets: string[];
      command: Command;
    }
  | {
      type: 'helm-template';
      release: string;
      chart: string;
      version?: string;
      valuesFiles: string[];
      sets: string[];
      command: Command;
    }
  | { type: 'helm-repo'; name: string; url: string; command: Command }
  | { type: 'apply'; target: string; command: Command }
  | {
      type: 'wait-deployment';
      namespace: string;
      /** `*`: every Deployment of the namespace. */
      name: string;
      command: Command;
    }
  | {
      type: 'wait-endpoints';
      namespace: string;
      service: string;
      command: Command;
    }
  | { type: 'other'; command: Command };

function flagValues(args: string[], ...names: string[]): string[] {
  const values: string[] = [];
  args.forEach((arg, i) => {
    if (names.includes(arg) && i + 1 < args.length) values.push(args[i + 1]);
    for (const name of names.filter(n => n.startsWith('--')))
      if (arg.startsWith(`${name}=`)) values.push(arg.slice(name.length + 1));
  });
  return values;
}

/** Positional arguments (flags with a value skipped). */
function positionals(args: string[]): string[] {
  const withValue = new Set([
    '--version',
    '-n',
    '--namespace',
    '-f',
    '--values',
    '--set',
    '--set-string',
    '--timeout',
    '-l',
    '-o',
    '--for',
  ]);
  const result: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (withValue.has(args[i])) i++;
    else if (!args[i].startsWith('-')) result.push(args[i]);
  }
  return result;
}

/** The chart, version and values of `helm upgrade --install` and `helm template` alike. */
function helmChartFields(args: string[]) {
  const [, release, chart] = positionals(args);
  return {
    release,
    chart,
    version: flagValues(args, '--version')[0],
    valuesFiles: flagValues(args, '-f', '--values'),
    sets: flagValues(args, '--set', '--set-string'),
  };
}

/** A wait on the Deployment that `deployment/<name>` names, if it names one. */
function waitOnNamedDeployment(
  resource: string,
  namespace: string,
  command: Command,
): Action | undefined {
  if (!resource.startsWith('deployment/')) return undefined;
  return {
    type: 'wait-deployment',
    namespace,
    name: resource.slice('deployment/'.length),
    command,
  };
}

export function toAction(command: Command): Action {
  const [tool, ...args] = command;
  if (tool === 'helm' && args[0] === 'upgrade' && args.includes('--install')) {
    return {
      type: 'helm',
      ...helmChartFields(args),
      namespace: flagValues(args, '-n', '--namespace')[0],
      command,
    };
  }
  if (tool === 'helm' && args[0] === 'template') {
    return { type: 'helm-template', ...helmChartFields(args), command };
  }
  if (tool === 'helm' && args[0] === 'repo' && args[1] === 'add')
    return { type: 'helm-repo', name: args[2], url: args[3], command };
  if (tool === 'kubectl' && args[0] === 'apply') {
    const target = flagValues(args, '-f', '--filename')[0];
    if (target !== undefined) return { type: 'apply', target, command };
  }
  const namespace = flagValues(args, '-n', '--namespace')[0] ?? 'default';
  if (tool === 'kubectl' && args[0] === 'rollout' && args[1] === 'status') {
    const wait = waitOnNamedDeployment(
      positionals(args)[2] ?? '',
      namespace,
      command,
    );
    if (wait) return wait;
  }
  if (tool === 'kubectl' && args[0] === 'wait') {
    const condition = args.find(a => a.startsWith('--for='));
    const resource = positionals(args)[1] ?? '';
    if (condition === '--for=condition=Available') {
      if (resource === 'deployment' && args.includes('--all'))
        return { type: 'wait-deployment', namespace, name: '*', command };
      const wait = waitOnNamedDeployment(resource, namespace, command);
      if (wait) return wait;
    }
    const selector = flagValues(args, '-l')[0] ?? '';
    if (
      resource === 'endpointslice' &&
      selector.startsWith('kubernetes.io/service-name=')
    )
      return {
        type: 'wait-endpoints',
        namespace,
        service: selector.slice('kubernetes.io/service-name='.length),
        command,
      };
  }
  return { type: 'other', command };
}

/** The changing commands of a stub run, as the dry run prints them. */
export function changes(run: StubRun): Command[] {
  return run.calls.filter(c => !isQuery(c));
}

/**
 * Every action the bootstrap of a tree takes: the current tree's read from `--dry-run`, another
 * tree's from a full run with stand-in tools answering by `rules`.
 */
export function planActions(tree: Tree, rules: StubRule[] = []): Action[] {
  const commands =
    tree === CURRENT
      ? dryRun().steps.flatMap(s => s.commands)
      : changes(runWithStubs(tree, [], rules));
  return commands.map(toAction);
}

/** The steps of scripts/bootstrap.sh in the order it runs them (`verify` aside). */
export const BOOTSTRAP_STEPS = [
  'prerequisites',
  'cluster',
  'gateway-api',
  'cert-manager',
  'istio',
  'knative',
  'kserve',
  'runtimes',
  'envoy-gateway',
  'ai-gateway',
  'gateway',
  'auth',
  'tenants',
  'models',
  'observability',
  'portal',
];

/** The chart name of a chart reference: `oci://registry/path/<name>` or `<repo>/<name>`. */
export function chartName(reference: string): string {
  return reference.split('/').pop() ?? reference;
}
