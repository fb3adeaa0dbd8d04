import { formatEnvoyDouble, formatGoFloat } from './numberFormat';
/**
 * A tiny registry written in the Prometheus text exposition format 0.0.4
 * (prometheus/docs content/docs/instrumenting/exposition_formats.md):
 * counters and histograms, one series per label set. Labels are printed in
 * the order given (client_golang sorts them by name, Envoy keeps its tag
 * extraction order: the caller decides), series in `sortKey` order.
 */

/** Label name and value pairs, in print order. */
export type Labels = ReadonlyArray<readonly [string, string]>;

/** What differs between the writers this package imitates. */
export interface ExpositionStyle {
  /** Counter values, bucket counts and `_count`. */
  formatCount(value: number): string;
  /** `le` bounds and `_sum`. */
  formatFloat(value: number): string;
  /** client_golang writes `# HELP`; Envoy does not. */
  writeHelp: boolean;
  /** Envoy ends each family with an empty line. */
  familyTrailer: string;
  /** Envoy writes all counters, then all histograms; client_golang sorts by name only. */
  groupByType: boolean;
}

/**
 * The Prometheus Go client's text format (prometheus/client_golang, as the OpenTelemetry
 * Prometheus exporters of AI Gateway and of the Collector write it): Go float formatting, `# HELP`,
 * families sorted by name.
 */
export const CLIENT_GOLANG: ExpositionStyle = {
  formatCount: formatGoFloat,
  formatFloat: formatGoFloat,
  writeHelp: true,
  familyTrailer: '',
  groupByType: false,
};

/**
 * Envoy's own Prometheus output (source/server/admin/prometheus_stats.cc, which Istio's sidecar
 * serves too): integer counts, Envoy's double formatting, no `# HELP`, counters before histograms.
 */
export const ENVOY: ExpositionStyle = {
  formatCount: String,
  formatFloat: formatEnvoyDouble,
  writeHelp: false,
  familyTrailer: '\n',
  groupByType: true,
};

/**
 * Label value escaping of the text format: `\` -> `\\`, `"` -> `\"`, line
 * feed -> `\n` (prometheus/common expfmt text_create.go `quotedEscaper`;
 * Envoy's prometheus_stats.cc `sanitizeValue` does the same).
 */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, c => (c === '\n' ? '\\n' : `\\${c}`));
}

/** HELP text escaping: `\` and line feed only (expfmt `escaper`). */
export function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, c => (c === '\n' ? '\\n' : '\\\\'));
}

function labelText(labels: Labels, extra?: readonly [string, string]): string {
  const all = extra ? [...labels, extra] : labels;
  if (all.length === 0) return '';
  return `{${all
    .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
    .join(',')}}`;
}

/** Default series order: by label values in print order (client_golang's metricSorter). */
export function labelValuesSortKey(labels: Labels): string {
  return [
    String(labels.length).padStart(4, '0'),
    ...labels.map(([, value]) => value),
  ].join('\u0000');
}

interface SeriesBase {
  labels: Labels;
  sortKey: string;
}

abstract class Family<S extends SeriesBase> {
  protected readonly series = new Map<string, S>();

  constructor(
    readonly name: string,
    readonly help: string,
    /** Order among families (Envoy: its stat name token by token). */
    readonly sortKey: string,
  ) {}

  abstract readonly type: 'counter' | 'histogram';

  protected seriesFor(labels: Labels, sortKey: string | undefined): S {
    const key = JSON.stringify(labels);
    let found = this.series.get(key);
    if (!found) {
      found = this.create(labels, sortKey ?? labelValuesSortKey(labels));
      this.series.set(key, found);
    }
    return found;
  }

  protected abstract create(labels: Labels, sortKey: string): S;

  protected abstract lines(series: S, style: ExpositionStyle): string[];

  get empty(): boolean {
    return this.series.size === 0;
  }

  render(style: ExpositionStyle): string {
    const sorted = [...this.series.values()].sort((a, b) =>
      compareStrings(a.sortKey, b.sortKey),
    );
    const head = [
      ...(style.writeHelp && this.help
        ? [`# HELP ${this.name} ${escapeHelp(this.help)}`]
        : []),
      `# TYPE ${this.name} ${this.type}`,
    ];
    return `${[...head, ...sorted.flatMap(s => this.lines(s, style))].join(
      '\n',
    )}\n${style.familyTrailer}`;
  }
}

interface CounterSeries extends SeriesBase {
  value: number;
}

export class Counter extends Family<CounterSeries> {
  readonly type = 'counter';

  inc(labels: Labels, by = 1, sortKey?: string): void {
    this.seriesFor(labels, sortKey).value += by;
  }

  /** Creates the series at 0 if it does not exist (a counter that exists from start). */
  touch(labels: Labels, sortKey?: string): void {
    this.seriesFor(labels, sortKey);
  }

  protected create(labels: Labels, sortKey: string): CounterSeries {
    return { labels, sortKey, value: 0 };
  }

  protected lines(series: CounterSeries, style: ExpositionStyle): string[] {
    return [
      `${this.name}${labelText(series.labels)} ${style.formatCount(
        series.value,
      )}`,
    ];
  }
}

interface HistogramSeries extends SeriesBase {
  /** Observations per bound (not cumulative); the last slot is above every bound. */
  perBucket: number[];
  count: number;
  sum: number;
}

export class Histogram extends Family<HistogramSeries> {
  readonly type = 'histogram';

  constructor(
    name: string,
    help: string,
    sortKey: string,
    /** Upper bounds, ascending; an observation counts in every bound >= it. */
    readonly bounds: readonly number[],
  ) {
    super(name, help, sortKey);
  }

  observe(labels: Labels, value: number, sortKey?: string): void {
    const series = this.seriesFor(labels, sortKey);
    const index = this.bounds.findIndex(bound => value <= bound);
    series.perBucket[index < 0 ? this.bounds.length : index] += 1;
    series.count += 1;
    series.sum += value;
  }

  protected create(labels: Labels, sortKey: string): HistogramSeries {
    return {
      labels,
      sortKey,
      perBucket: new Array(this.bounds.length + 1).fill(0),
      count: 0,
      sum: 0,
    };
  }

  protected lines(series: HistogramSeries, style: ExpositionStyle): string[] {
    let cumulative = 0;
    const buckets = this.bounds.map((bound, i) => {
      cumulative += series.perBucket[i];
      return `${this.name}_bucket${labelText(series.labels, [
        'le',
        style.formatFloat(bound),
      ])} ${style.formatCount(cumulative)}`;
    });
    const labels = labelText(series.labels);
    return [
      ...buckets,
      `${this.name}_bucket${labelText(series.labels, [
        'le',
        '+Inf',
      ])} ${style.formatCount(series.count)}`,
      `${this.name}_sum${labels} ${style.formatFloat(series.sum)}`,
      `${this.name}_count${labels} ${style.formatCount(series.count)}`,
    ];
  }
}

/** Byte-wise for ASCII, as Go and C++ compare strings. */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

const TYPE_ORDER = { counter: 0, histogram: 1 } as const;

export class MetricsRegistry {
  private readonly families = new Map<string, Counter | Histogram>();

  constructor(private readonly style: ExpositionStyle) {}

  counter(name: string, help = '', sortKey = name): Counter {
    return this.register(new Counter(name, help, sortKey));
  }

  histogram(
    name: string,
    bounds: readonly number[],
    help = '',
    sortKey = name,
  ): Histogram {
    return this.register(new Histogram(name, help, sortKey, bounds));
  }

  private register<F extends Counter | Histogram>(family: F): F {
    if (this.families.has(family.name))
      throw new Error(`metric ${family.name} registered twice`);
    this.families.set(family.name, family);
    return family;
  }

  /** Families that have at least one series, in the style's order. */
  render(): string {
    return [...this.families.values()]
      .filter(family => !family.empty)
      .sort(
        (a, b) =>
          (this.style.groupByType
            ? TYPE_ORDER[a.type] - TYPE_ORDER[b.type]
            : 0) || compareStrings(a.sortKey, b.sortKey),
      )
      .map(family => family.render(this.style))
      .join('');
  }
}
