import fs from 'node:fs';
import path from 'node:path';
import { DockerfileParser, Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { parse, parseAllDocuments } from 'yaml';
import { CONFIGS_DIR, REPO_ROOT, SCRIPTS_DIR } from '../repoPaths';
import { KubeObject, readObjects } from './readManifests';

/**
 * The portal image (packages/backend/Dockerfile) and the Deployment that runs it
 * (configs/portal/deployment.yaml). No Docker engine runs here, and hadolint is neither a Debian
 * package nor an npm package that works offline (the npm `hadolint` downloads its binary at run
 * time), so the Dockerfile is linted with dockerfile-utils (the parser and linter of the VS Code
 * Docker extension) and its structure is checked below, against the Deployment and the repository.
 */

const DOCKERFILE = path.join(REPO_ROOT, 'packages/backend/Dockerfile');
const text = fs.readFileSync(DOCKERFILE, 'utf8');
const dockerfile = DockerfileParser.parse(text);
const instructions = dockerfile.getInstructions();

const deployment = readObjects(path.join(CONFIGS_DIR, 'portal')).find(
  o => o.kind === 'Deployment' && o.metadata.name === 'inference-portal',
)!;
const container = (dep: KubeObject) =>
  dep.spec.template.spec.containers.find(
    (c: KubeObject) => c.name === 'backend',
  );

const args = (i: Instruction) => i.getArguments().map(a => a.getValue());
const flags = (i: Instruction) =>
  Object.fromEntries(
    (
      (
        i as unknown as {
          getFlags?: () => Array<{
            getName(): string;
            getValue(): string | null;
          }>;
        }
      ).getFlags?.() ?? []
    ).map(f => [f.getName(), f.getValue() ?? '']),
  );

/** The instructions of each stage, in order; the last is the image. */
const stages = (() => {
  const result: Array<{
    name?: string;
    from: Instruction;
    body: Instruction[];
  }> = [];
  for (const instruction of instructions) {
    if (instruction.getKeyword() === 'FROM') {
      const [image, as, name] = args(instruction);
      result.push({
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        from: instruction,
        body: [],
      });
      if (!image) throw new Error('FROM without an image');
    } else result[result.length - 1]?.body.push(instruction);
  }
  return result;
})();
const runtime = stages[stages.length - 1];
const inRuntime = (keyword: string) =>
  runtime.body.filter(i => i.getKeyword() === keyword);

/** The exec-form CMD of the image. */
function imageCmd(): string[] {
  const cmds = inRuntime('CMD');
  expect(cmds).toHaveLength(1);
  const json = cmds[0].getArgumentsContent() ?? '';
  return JSON.parse(json);
}

/**
 * What a container of the Deployment runs (Kubernetes: `command` replaces the image's ENTRYPOINT
 * and CMD, `args` alone replaces CMD). The image sets no ENTRYPOINT, so it has the base image's:
 * the official node images' docker-entrypoint.sh, which runs `node` with the arguments when the
 * first one starts with `-` and runs them as they are otherwise (docker-library/node
 * docker-entrypoint.sh).
 */
function processOf(dep: KubeObject): string[] {
  const c = container(dep);
  expect(inRuntime('ENTRYPOINT')).toEqual([]);
  if (c.command) return [...c.command, ...(c.args ?? [])];
  const argv: string[] = c.args ?? imageCmd();
  return argv[0].startsWith('-') ? ['node', ...argv] : argv;
}

/** `.dockerignore` patterns as a predicate on context-relative paths (a directory excludes its contents). */
function dockerIgnored(): (file: string) => boolean {
  const patterns = fs
    .readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'));
  expect(patterns.some(p => p.startsWith('!'))).toBe(false);
  const regexes = patterns.map(
    p =>
      new RegExp(
        `^${p
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*\*\//g, '<any-dirs>')
          .replace(/\*/g, '[^/]*')
          .replace(/<any-dirs>/g, '(?:.*/)?')}(?:/.*)?$`,
      ),
  );
  return file => regexes.some(r => r.test(file));
}

function pinnedNodeVersion(): string {
  const env = fs.readFileSync(path.join(SCRIPTS_DIR, 'lib/env.sh'), 'utf8');
  return /^PINNED_NODE_VERSION="([^"]+)"/m.exec(env)![1];
}

describe('portal image (packages/backend/Dockerfile)', () => {
  it('passes the Dockerfile linter (dockerfile-utils), warnings included', () => {
    const diagnostics = validate(text).map(
      d => `line ${d.range.start.line + 1}: ${d.message}`,
    );
    expect(diagnostics).toEqual([]);
  });

  it('builds every stage from the same Node image, pinned by tag to the Node the repository uses', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const version = pinnedNodeVersion();
    const engines: string = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'),
    ).engines.node;
    expect(engines.split('||').map(v => v.trim())).toContain(
      version.split('.')[0],
    );
    for (const stage of stages) {
      const [image] = args(stage.from);
      expect(image).toBe(`node:${version}-bookworm-slim`);
    }
  });

  it('copies from earlier stages only', () => {
    const names: string[] = [];
    const references: Array<{ from: string; earlier: boolean }> = [];
    for (const stage of stages) {
      for (const copy of stage.body.filter(i => i.getKeyword() === 'COPY')) {
        const from = flags(copy).from;
        if (from !== undefined)
          references.push({ from, earlier: names.includes(from) });
      }
      if (stage.name) names.push(stage.name);
    }
    expect(references.length).toBeGreaterThan(0);
    expect(references.filter(r => !r.earlier)).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('runs as the unprivileged node user, in production mode, as the Deployment expects', () => {
    const users = inRuntime('USER').map(u => args(u)[0]);
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1];
    expect(['root', '0']).not.toContain(user.split(':')[0]);
    // The official node images create `node` with uid and gid 1000 (docker-library/node Dockerfiles).
    expect(user).toBe('node');
    const podSecurity = deployment.spec.template.spec.securityContext;
    expect(podSecurity).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
    });
    const env = Object.fromEntries(
      inRuntime('ENV').flatMap(e =>
        (
          e as unknown as {
            getProperties(): Array<{
              getName(): string;
              getValue(): string | null;
            }>;
          }
        )
          .getProperties()
          .map(p => [p.getName(), p.getValue()]),
      ),
    );
    expect(env.NODE_ENV).toBe('production');
    const deploymentEnv = Object.fromEntries(
      container(deployment).env.map((e: KubeObject) => [e.name, e.value]),
    );
    expect(deploymentEnv.NODE_ENV ?? 'production').toBe('production');
  });

  it("runs the backend with the image's config files and the mounted one (command, arguments)", () => {
    const cmd = imageCmd();
    expect(cmd.slice(0, 2)).toEqual(['node', 'packages/backend']);
    const argv = processOf(deployment);
    expect(argv.slice(0, cmd.length)).toEqual(cmd);
    expect(argv.slice(cmd.length)).toEqual([
      '--config',
      '/etc/inference-portal/app-config.cluster.yaml',
    ]);
  });

  it('fails on the Deployment before issue 16 (arguments only: node --config ..., never the backend)', () => {
    const before = parseAllDocuments(
      fs.readFileSync(
        path.join(
          __dirname,
          '__fixtures__/portal-deployment.before-issue-16.yaml',
        ),
        'utf8',
      ),
    )
      .map(d => d.toJS())
      .find(o => o?.kind === 'Deployment');
    const argv = processOf(before);
    expect(argv.slice(0, 2)).toEqual(['node', '--config']);
    expect(argv.slice(0, imageCmd().length)).not.toEqual(imageCmd());
  });

  it('serves on the port the Deployment names, with the backend health endpoints as probes', () => {
    const exposed = inRuntime('EXPOSE').flatMap(args);
    const production = parse(
      fs.readFileSync(
        path.join(REPO_ROOT, 'app-config.production.yaml'),
        'utf8',
      ),
    );
    const listenPort = String(production.backend.listen).replace(/^.*:/, '');
    const c = container(deployment);
    const http = c.ports.find((p: KubeObject) => p.name === 'http');
    expect(exposed).toEqual([listenPort]);
    expect(String(http.containerPort)).toBe(listenPort);
    // @backstage/backend-defaults rootHealth service: /.backstage/health/v1/{readiness,liveness}.
    expect(c.readinessProbe.httpGet).toEqual({
      path: '/.backstage/health/v1/readiness',
      port: 'http',
    });
    expect(c.livenessProbe.httpGet).toEqual({
      path: '/.backstage/health/v1/liveness',
      port: 'http',
    });
  });

  it("puts the files the Deployment's config names into the image's working directory", () => {
    const workdirs = inRuntime('WORKDIR').map(w => args(w)[0]);
    expect(workdirs.length).toBeGreaterThan(0);
    expect(path.isAbsolute(workdirs[workdirs.length - 1])).toBe(true);
    const copied = inRuntime('COPY')
      .filter(c => flags(c).from === undefined)
      .flatMap(c => args(c).slice(0, -1));
    const needed = [
      // Relative --config files of the Deployment.
      ...processOf(deployment)
        .filter((_arg, i, all) => all[i - 1] === '--config')
        .filter(f => !path.isAbsolute(f)),
      // The catalog files app-config.production.yaml registers (relative to the working directory).
      ...parse(
        fs.readFileSync(
          path.join(REPO_ROOT, 'app-config.production.yaml'),
          'utf8',
        ),
      ).catalog.locations.map((l: { target: string }) =>
        path.normalize(l.target),
      ),
    ];
    expect(needed).toEqual(
      expect.arrayContaining([
        'app-config.yaml',
        'catalog/org.production.yaml',
      ]),
    );
    for (const file of needed)
      expect({
        file,
        copied: copied.some(c => file === c || file.startsWith(`${c}/`)),
      }).toEqual({ file, copied: true });
  });

  it('copies only what exists in the build context and is not excluded by .dockerignore', () => {
    const ignored = dockerIgnored();
    for (const stage of stages) {
      for (const copy of stage.body.filter(i => i.getKeyword() === 'COPY')) {
        if (flags(copy).from !== undefined) continue;
        for (const source of args(copy).slice(0, -1)) {
          const normalized = path.normalize(source);
          expect({
            source,
            exists: fs.existsSync(path.join(REPO_ROOT, normalized)),
            ignored: normalized !== '.' && ignored(normalized),
          }).toEqual({ source, exists: true, ignored: false });
        }
      }
    }
    // Never in the context: dependencies and builds of the host, git, local (secret) config.
    for (const file of [
      'node_modules/yaml/package.json',
      'packages/backend/node_modules/x',
      'packages/backend/dist/bundle.tar.gz',
      '.git/config',
      'app-config.local.yaml',
      '.tools/node-v24/bin/node',
    ])
      expect({ file, ignored: ignored(file) }).toEqual({ file, ignored: true });
    for (const file of ['catalog/org.production.yaml', '.yarn/releases/x.cjs'])
      expect({ file, ignored: ignored(file) }).toEqual({
        file,
        ignored: false,
      });
  });

  it("runs the repository's own Yarn release and its build scripts", () => {
    const yarnrc = parse(
      fs.readFileSync(path.join(REPO_ROOT, '.yarnrc.yml'), 'utf8'),
    );
    const runs = instructions
      .filter(i => i.getKeyword() === 'RUN')
      .map(i => i.getArgumentsContent() ?? '');
    const yarnCalls = runs.join('\n').match(/node \S*yarn\S*/g) ?? [];
    expect(yarnCalls.length).toBeGreaterThanOrEqual(3);
    for (const call of yarnCalls) expect(call).toBe(`node ${yarnrc.yarnPath}`);
    expect(runs.join('\n')).not.toMatch(/(^|[\s;&|])(yarn|npm|sudo) /);
    const scripts = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'),
    ).scripts;
    for (const script of ['tsc', 'build:backend']) {
      expect(scripts[script]).toBeDefined();
      expect(runs.join('\n')).toContain(`${yarnrc.yarnPath} ${script}`);
    }
    expect(runs.join('\n')).toContain('workspaces focus --all --production');
  });

  it('installs Debian packages without recommendations and without keeping the package lists', () => {
    const aptRuns = instructions
      .filter(i => i.getKeyword() === 'RUN')
      .map(i => i.getArgumentsContent() ?? '')
      .filter(r => r.includes('apt-get install'));
    expect(aptRuns.length).toBeGreaterThan(0);
    for (const run of aptRuns) {
      expect(run).toContain('apt-get install -y --no-install-recommends');
      expect(run).toContain('rm -rf /var/lib/apt/lists/*');
    }
    // No remote or archive-unpacking ADD: COPY only.
    expect(instructions.filter(i => i.getKeyword() === 'ADD')).toEqual([]);
    // No compiler in the image that runs: the runtime stage installs nothing.
    expect(inRuntime('RUN')).toEqual([]);
  });
});
