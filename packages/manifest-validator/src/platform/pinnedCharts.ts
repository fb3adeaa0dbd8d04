import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse, parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../repoPaths';

/**
 * The Helm charts' own files at the versions scripts/lib/versions.sh pins, vendored gzip-compressed
 * in packages/manifest-validator/charts with upstream URL, tag and sha256 in its sources.tsv
 * (verified offline by `scripts/fetch-crds.sh --check`). Subcharts sit under `<chart>/charts/<name>`,
 * as in a packaged chart.
 */
export const CHARTS_DIR = path.join(
  REPO_ROOT,
  'packages/manifest-validator/charts',
);

export interface SourceRow {
  file: string;
  tag: string;
  sha256: string;
  url: string;
}

export function chartSources(dir = CHARTS_DIR): SourceRow[] {
  return fs
    .readFileSync(path.join(dir, 'sources.tsv'), 'utf8')
    .split('\n')
    .filter(line => line.trim() && !line.startsWith('#'))
    .map(line => {
      const [file, tag, sha256, url] = line.split('\t');
      return { file, tag, sha256, url };
    });
}

/** The text of a vendored file, by its path in the charts folder without `.gz`. */
export function readPinnedFile(file: string, dir = CHARTS_DIR): string {
  return gunzipSync(fs.readFileSync(path.join(dir, `${file}.gz`))).toString(
    'utf8',
  );
}

export function readPinnedDocuments(file: string): unknown[] {
  return parseAllDocuments(readPinnedFile(file))
    .map(d => d.toJS())
    .filter(Boolean);
}

export interface PinnedChart {
  /** Folder in the charts folder, e.g. `kube-prometheus-stack/charts/grafana`. */
  dir: string;
  /** Chart.yaml */
  chart: {
    name: string;
    version: string;
    dependencies?: Array<{ name: string; alias?: string; version: string }>;
  };
  /** values.yaml (null when the file holds only comments). */
  values: unknown;
  /** The upstream tag the files were taken from. */
  tag: string;
  /** Where the Chart.yaml came from. */
  chartUrl: string;
}

export function loadPinnedChart(dir: string): PinnedChart {
  const row = chartSources().find(r => r.file === `${dir}/Chart.yaml.gz`);
  if (!row) throw new Error(`no pinned Chart.yaml in charts/${dir}`);
  return {
    dir,
    chart: parse(readPinnedFile(`${dir}/Chart.yaml`)),
    values: parse(readPinnedFile(`${dir}/values.yaml`)) ?? null,
    tag: row.tag,
    chartUrl: row.url,
  };
}

/** The top-level charts (not subcharts) of the charts folder. */
export function pinnedCharts(): PinnedChart[] {
  return chartSources()
    .map(r => r.file)
    .filter(file => /^[^/]+\/Chart\.yaml\.gz$/.test(file))
    .map(file => loadPinnedChart(file.split('/')[0]));
}

export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A schema excerpt for a subtree of a chart's values that the chart passes on verbatim to the
 * component (so its values.yaml lists only a few keys): the fields of the component's own API,
 * each leaf a sample value of its type, `{}` a free map, `null` anything.
 */
export type Excerpt = {
  [key: string]: Excerpt | string | number | boolean | null | [];
};

export interface ValuesRules {
  /** Subtrees checked against an excerpt of the component's API instead of the chart's defaults. */
  excerpts?: Record<string, Excerpt>;
  /** Top-level keys the chart's templates read besides its values.yaml (with the template cited). */
  extraTopLevelKeys?: string[];
}

/**
 * Every key of `values` against the chart's values.yaml: a key the chart does not have fails, with
 * its path. Where the chart's default is an empty map or null the content is free (labels,
 * annotations, env); lists are not descended into. Subcharts: the values under a dependency's name
 * (or alias) are checked against the parent's section merged with the subchart's own values.yaml.
 * Istio's charts keep their defaults under `_internal_defaults_do_not_set` (its zzz_profile.yaml
 * template merges them under `.Values`), so that subtree is the schema.
 */
export function checkValues(
  chart: PinnedChart,
  values: unknown,
  rules: ValuesRules = {},
): string[] {
  const problems: string[] = [];
  const defaults = chartDefaults(chart);
  if (values === null || values === undefined) return problems;
  if (!isPlainObject(values)) return ['(top level): not a map'];
  const subcharts = new Map(
    (chart.chart.dependencies ?? []).map(d => [d.alias ?? d.name, d.name]),
  );
  for (const [key, value] of Object.entries(values)) {
    if (key === 'global') continue; // Helm's global values, shared with every subchart
    if (rules.excerpts?.[key]) {
      compare(value, rules.excerpts[key], key, problems, rules);
    } else if (subcharts.has(key)) {
      const subDir = `${chart.dir}/charts/${subcharts.get(key)}`;
      if (!chartSources().some(r => r.file === `${subDir}/values.yaml.gz`)) {
        problems.push(
          `${key}: values for subchart ${subcharts.get(
            key,
          )}, whose values.yaml is not vendored in charts/${subDir}`,
        );
        continue;
      }
      const sub = loadPinnedChart(subDir);
      const schema = mergeSchemas(
        (defaults as Record<string, unknown>)[key],
        chartDefaults(sub),
      );
      compare(value, schema, key, problems, rules);
    } else if (rules.extraTopLevelKeys?.includes(key)) {
      continue;
    } else {
      compare(
        value,
        (defaults as Record<string, unknown>)[key],
        key,
        problems,
        rules,
      );
    }
  }
  return problems;
}

function chartDefaults(chart: PinnedChart): Record<string, unknown> {
  const values = isPlainObject(chart.values) ? chart.values : {};
  const internal = values._internal_defaults_do_not_set;
  return isPlainObject(internal) ? internal : values;
}

function mergeSchemas(a: unknown, b: unknown): unknown {
  if (isPlainObject(a) && isPlainObject(b)) {
    const merged: Record<string, unknown> = { ...b };
    for (const [key, value] of Object.entries(a))
      merged[key] = key in b ? mergeSchemas(value, b[key]) : value;
    return merged;
  }
  return a === undefined ? b : a;
}

function compare(
  value: unknown,
  schema: unknown,
  at: string,
  problems: string[],
  rules: ValuesRules,
): void {
  if (schema === undefined) {
    problems.push(`${at}: not a key of the chart's values`);
    return;
  }
  if (schema === null || value === null) return; // the chart leaves it open
  if (isPlainObject(schema)) {
    if (!isPlainObject(value)) {
      problems.push(`${at}: the chart expects a map here`);
      return;
    }
    if (Object.keys(schema).length === 0) return; // a free map (labels, annotations, ...)
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${at}.${key}`;
      const excerpt = rules.excerpts?.[childPath];
      compare(child, excerpt ?? schema[key], childPath, problems, rules);
    }
    return;
  }
  if (Array.isArray(schema)) {
    if (!Array.isArray(value))
      problems.push(`${at}: the chart expects a list here`);
    return;
  }
  if (isPlainObject(value) || Array.isArray(value))
    problems.push(`${at}: the chart expects a single value here`);
}

/**
 * `--set a.b=c` / `--set-string a.b=c` keys as values (Helm's dotted paths; list indexes are not
 * used by the bootstrap).
 */
export function setFlagsToValues(flags: string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const flag of flags) {
    const [key, ...rest] = flag.split('=');
    const parts = key.split('.');
    let node = values;
    parts.slice(0, -1).forEach(part => {
      node[part] = isPlainObject(node[part]) ? node[part] : {};
      node = node[part] as Record<string, unknown>;
    });
    node[parts[parts.length - 1]] = rest.join('=');
  }
  return values;
}

/** Deep merge of values files as Helm does (later wins; maps merge, everything else replaces). */
export function mergeValues(...layers: unknown[]): unknown {
  return layers.reduce((merged, layer) => {
    if (isPlainObject(merged) && isPlainObject(layer)) {
      const result: Record<string, unknown> = { ...merged };
      for (const [key, value] of Object.entries(layer))
        result[key] = mergeValues(result[key], value);
      return result;
    }
    return layer === undefined ? merged : layer;
  }, undefined);
}

/** A ClusterServingRuntime of kserve-runtime-configs' runtime list (the fields read here). */
export interface ServingRuntime {
  metadata: { name: string };
  spec: {
    /** Annotations KServe merges into the predictor pods (below the InferenceService's own). */
    annotations?: Record<string, string>;
    supportedModelFormats?: Array<{
      name: string;
      autoSelect?: boolean;
      priority?: number;
    }>;
    protocolVersions?: string[];
    multiModel?: boolean;
    workerSpec?: unknown;
  };
}

/** The ClusterServingRuntimes of the pinned kserve-runtime-configs chart (all, enabled or not). */
export function pinnedServingRuntimes(): ServingRuntime[] {
  return readPinnedDocuments(
    'kserve-runtime-configs/files/runtimes/resources.yaml',
  ) as ServingRuntime[];
}

/**
 * The runtimes KServe may pick for a predictor's model, best first, as
 * pkg/apis/serving/v1beta1/predictor_model.go GetSupportingRuntimes does (kserve v0.20.0):
 * single-model, not multi-node, the model format with autoSelect, the protocol (v1 by default);
 * highest priority first.
 */
export function supportingRuntimes(
  runtimes: ServingRuntime[],
  model: { modelFormat: { name: string }; protocolVersion?: string },
): ServingRuntime[] {
  const protocol = model.protocolVersion ?? 'v1';
  const format = model.modelFormat.name;
  const priority = (r: ServingRuntime) =>
    Math.max(
      ...(r.spec.supportedModelFormats ?? [])
        .filter(f => f.name === format)
        .map(f => f.priority ?? 0),
    );
  return runtimes
    .filter(
      r =>
        !r.spec.multiModel &&
        !r.spec.workerSpec &&
        (r.spec.protocolVersions ?? [protocol]).includes(protocol) &&
        (r.spec.supportedModelFormats ?? []).some(
          f => f.name === format && f.autoSelect,
        ),
    )
    .sort((a, b) => priority(b) - priority(a));
}
