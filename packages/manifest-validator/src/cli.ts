import path from 'node:path';
import { formatReport } from './formatReport';
import { validateManifests } from './validateManifests';

const USAGE = `Usage: manifest-validator [--crds DIR] [DIR]

Validates every YAML manifest under DIR (default: configs/ of the repository) against the CRD
schemas (--crds, default: $INFERENCE_CRDS_DIR or packages/kube-sandbox/crds) and the Kubernetes schemas
of built-in kinds. Exits 1 when any object is invalid.`;

/** Runs the CLI; returns the exit code. */
export function main(args: string[], repoRoot: string): number {
  let dir = path.join(repoRoot, 'configs');
  let crdDir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else if (arg === '--crds') {
      crdDir = args[++i];
    } else if (arg.startsWith('-')) {
      process.stderr.write(`unknown option ${arg}\n${USAGE}\n`);
      return 2;
    } else {
      dir = path.resolve(arg);
    }
  }
  const report = validateManifests(dir, { crdDir });
  process.stdout.write(`${formatReport(report).join('\n')}\n`);
  return report.summary.errors > 0 ? 1 : 0;
}
