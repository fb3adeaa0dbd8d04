export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
}

/** The samples of a text exposition body (comments and blank lines skipped). */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    LABEL.lastIndex = 0;
    for (const [, name, value] of (match[2] ?? '').matchAll(LABEL))
      labels[name] = unescape(value);
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The samples named `name` whose labels include `labels`. */
export function samplesOf(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): Sample[] {
  return samples.filter(
    s =>
      s.name === name &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

/** The one matching sample's value; 0 when there is none, an error if several. */
export function valueOf(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number {
  const found = samplesOf(samples, name, labels);
  if (found.length > 1)
    throw new Error(
      `${found.length} samples of ${name} match ${JSON.stringify(labels)}`,
    );
  return found[0]?.value ?? 0;
}

/** GETs a scrape endpoint and parses it. */
export async function scrape(url: string): Promise<Sample[]> {
  const response = await fetch(url);
  if (response.status !== 200)
    throw new Error(`GET ${url}: ${response.status}`);
  return parsePrometheusText(await response.text());
}
