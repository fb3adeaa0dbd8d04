import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { defaultCrdDir } from '@internal/kube-sandbox';
import { SCRIPTS_DIR } from '../repoPaths';

/** scripts/fetch-crds.sh must reproduce the CRD folder the validation uses, byte for byte. */
describe('scripts/fetch-crds.sh', () => {
  const script = fs.readFileSync(
    path.join(SCRIPTS_DIR, 'fetch-crds.sh'),
    'utf8',
  );
  const rows = [
    ...script.matchAll(
      /^ {2}(\S+\.yaml) (\S+\/\S+) (\S+) (\S+) ([0-9a-f]{64})$/gm,
    ),
  ].map(([, dest, repo, tag, source, sha]) => ({
    dest,
    repo,
    tag,
    source,
    sha,
  }));
  const versions = fs.readFileSync(
    path.join(SCRIPTS_DIR, 'lib/versions.sh'),
    'utf8',
  );

  it('pins every file of the CRD folder with its sha256', () => {
    const crdDir = defaultCrdDir();
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.yaml'))
          files.push(path.relative(crdDir, full));
      }
    };
    walk(crdDir);
    expect(rows.map(r => r.dest).sort()).toEqual(files.sort());
    for (const row of rows) {
      const sha = createHash('sha256')
        .update(fs.readFileSync(path.join(crdDir, row.dest)))
        .digest('hex');
      expect([row.dest, row.sha]).toEqual([row.dest, sha]);
    }
  });

  it('takes each project at the tag pinned for the bootstrap', () => {
    const pinned = (name: string) =>
      new RegExp(`^${name}="([^"]+)"`, 'm').exec(versions)![1];
    const tagOf = (repo: string) =>
      new Set(rows.filter(r => r.repo === repo).map(r => r.tag));
    expect(tagOf('kserve/kserve')).toEqual(new Set([pinned('KSERVE_VERSION')]));
    expect(tagOf('envoyproxy/ai-gateway')).toEqual(
      new Set([pinned('ENVOY_AI_GATEWAY_VERSION')]),
    );
    expect(tagOf('kubernetes-sigs/gateway-api')).toEqual(
      new Set([pinned('GATEWAY_API_VERSION')]),
    );
    expect(tagOf('istio/istio')).toEqual(new Set([pinned('ISTIO_VERSION')]));
    expect(tagOf('knative/serving')).toEqual(
      new Set([`knative-v${pinned('KNATIVE_SERVING_VERSION')}`]),
    );
    // The v1.8.3 copies are kept next to the pinned v1.9.0 ones (AI Gateway is tested on 1.8.x).
    expect(tagOf('envoyproxy/gateway')).toEqual(
      new Set([pinned('ENVOY_GATEWAY_VERSION'), 'v1.8.3']),
    );
  });
});
