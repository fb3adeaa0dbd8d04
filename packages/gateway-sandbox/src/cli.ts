import { parseArgs } from 'node:util';
import { DEFAULT_GATEWAY, startGatewaySandbox } from './server';

const USAGE = `Usage: gateway-sandbox --kube-api <url> --backend <url> [options]

  --kube-api <url>      Kubernetes API server to read the gateway objects from (required)
  --token <token>       bearer token for the API server
  --backend <url>       where every upstream (Service, Backend) is sent, e.g. the
                        kube-sandbox's mock model server (required)
  --port <n>            port on 127.0.0.1 (default 0: a free port)
  --gateway <ns/name>   the Gateway to simulate (default ${DEFAULT_GATEWAY.namespace}/${DEFAULT_GATEWAY.name})
  --gateway-port <n>    the listener port this port stands for (default 80)
  --metrics-port <n>    port of /metrics (AI Gateway), /stats/prometheus (Envoy),
                        /otel-collector/metrics (access log counts) and
                        /kserve-predictors/stats/prometheus (model pods' Istio metrics)
                        (default 0: a free port)
  --metrics-header-attributes <header:attribute,...>
                        request headers that label the GenAI metrics, as AI Gateway's
                        controller.metricsRequestHeaderAttributes (default none)
  --help                show this help
`;

function portOption(value: string | undefined, name: string) {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new Error(`--${name} must be a port number (0-65535)`);
  return parsed;
}

function urlOption(value: string | undefined, name: string): string {
  if (!value) throw new Error(`--${name} is required\n\n${USAGE}`);
  try {
    return new URL(value).toString().replace(/\/$/, '');
  } catch {
    throw new Error(`--${name} must be a URL, got ${JSON.stringify(value)}`);
  }
}

function gatewayOption(value: string | undefined) {
  if (value === undefined) return undefined;
  const [namespace, name, ...rest] = value.split('/');
  if (!namespace || !name || rest.length > 0)
    throw new Error(`--gateway must be <namespace>/<name>, got ${value}`);
  return { namespace, name };
}

/** Entry point of the `gateway-sandbox` command. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'kube-api': { type: 'string' },
      token: { type: 'string' },
      backend: { type: 'string' },
      port: { type: 'string' },
      gateway: { type: 'string' },
      'gateway-port': { type: 'string' },
      'metrics-port': { type: 'string' },
      'metrics-header-attributes': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const backend = urlOption(values.backend, 'backend');
  const sandbox = await startGatewaySandbox({
    kubeApiUrl: urlOption(values['kube-api'], 'kube-api'),
    token: values.token,
    port: portOption(values.port, 'port'),
    gateway: gatewayOption(values.gateway),
    gatewayPort: portOption(values['gateway-port'], 'gateway-port'),
    metricsPort: portOption(values['metrics-port'], 'metrics-port'),
    metricsRequestHeaderAttributes: values['metrics-header-attributes'],
    resolveBackend: () => backend,
    onError: error =>
      process.stderr.write(
        `gateway-sandbox: ${error instanceof Error ? error.message : error}\n`,
      ),
  });
  process.stdout.write(`gateway-sandbox data path: ${sandbox.url}\n`);
  process.stdout.write(
    `gateway-sandbox metrics:   ${sandbox.metricsUrl}/metrics, ${sandbox.metricsUrl}/stats/prometheus\n`,
  );

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    process.stderr.write(`gateway-sandbox: ${signal}, shutting down\n`);
    sandbox.close().then(
      () => process.exit(0),
      error => {
        process.stderr.write(`gateway-sandbox: close failed: ${error}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}
