import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startKubeSandbox } from './sandbox';

const USAGE = `Usage: kube-sandbox [options]

  --port <n>           API server port (default 0: a free port)
  --host <addr>        listen address (default 127.0.0.1)
  --model-port <n>     mock model server port (default 0: a free port)
  --no-model-server    do not start the mock model server
  --crds <dir>         CRD folder (default $INFERENCE_CRDS_DIR or the package's crds/)
  --seed <path>        apply every YAML under <path> (a folder or a file) at start (repeatable)
  --no-controllers     do not simulate controllers (no status updates)
  --ready-delay <ms>   delay before simulated controllers write status (default 1000)
  --kubeconfig <path>  write a kubeconfig for the sandbox to <path>
  --token <token>      require "Authorization: Bearer <token>"
  --verbose            log every request
  --help               show this help
`;

function numberOption(
  value: string | undefined,
  name: string,
): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new Error(`--${name} must be a non-negative integer`);
  return parsed;
}

/** Entry point of the `kube-sandbox` command. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'model-port': { type: 'string' },
      'no-model-server': { type: 'boolean' },
      crds: { type: 'string' },
      seed: { type: 'string', multiple: true },
      'no-controllers': { type: 'boolean' },
      'ready-delay': { type: 'string' },
      kubeconfig: { type: 'string' },
      token: { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const readyDelayMs = numberOption(values['ready-delay'], 'ready-delay');
  const verbose = values.verbose === true;
  const sandbox = await startKubeSandbox({
    port: numberOption(values.port, 'port') ?? 0,
    host: values.host,
    crdDir: values.crds && path.resolve(values.crds),
    seedDir: values.seed?.map(dir => path.resolve(dir)),
    controllers: values['no-controllers'] ? false : { readyDelayMs },
    modelServer: values['no-model-server']
      ? false
      : { port: numberOption(values['model-port'], 'model-port') ?? 0 },
    token: values.token,
    // Request lines only with --verbose; seeding, controller and CEL rule problems always.
    logger: line => {
      if (
        verbose ||
        line.startsWith('seed:') ||
        line.startsWith('controller:') ||
        line.startsWith('CEL') ||
        line.startsWith('internal error')
      ) {
        process.stderr.write(`${line}\n`);
      }
    },
  });

  if (values.kubeconfig) {
    fs.writeFileSync(path.resolve(values.kubeconfig), sandbox.kubeconfig(), {
      mode: 0o600,
    });
  }
  process.stdout.write(`kube-sandbox API server:   ${sandbox.url}\n`);
  if (sandbox.modelServerUrl)
    process.stdout.write(
      `kube-sandbox model server: ${sandbox.modelServerUrl}\n`,
    );
  if (values.kubeconfig)
    process.stdout.write(
      `kubeconfig written to:     ${path.resolve(values.kubeconfig)}\n`,
    );

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    process.stderr.write(`kube-sandbox: ${signal}, shutting down\n`);
    sandbox.close().then(
      () => process.exit(0),
      error => {
        process.stderr.write(`kube-sandbox: close failed: ${error}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}
