import { parseAllDocuments, parse as parseYaml } from 'yaml';

/**
 * Reading a CRD file with a full YAML parse costs ~2.5 s for the whole
 * folder (the KServe schemas alone are ~6 MB). Discovery only needs the
 * small header of each CRD (names, scope, versions), so the scanner cuts
 * every `openAPIV3Schema:` block out of the text, replaces it with a
 * placeholder, and parses the rest. The cut blocks are parsed later, one
 * version at a time, when a schema is first needed.
 */

const PLACEHOLDER_PREFIX = '__kube_sandbox_schema_';

/** A CRD document with its schemas cut out. */
export interface ScannedCrdDocument {
  /** The CRD with each `openAPIV3Schema` replaced by a placeholder string. */
  header: Record<string, unknown>;
  /** Looks up the schema text behind a placeholder found in `header`. */
  schemaText(placeholder: unknown): string | undefined;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function dedent(lines: string[]): string {
  let min = Infinity;
  for (const line of lines) {
    if (line.trim() !== '') min = Math.min(min, indentOf(line));
  }
  if (min === Infinity) return '';
  return lines
    .map(line => line.slice(Math.min(min, indentOf(line))))
    .join('\n');
}

/**
 * Splits the schema blocks out of a block-style YAML CRD file. Returns
 * undefined when the text does not look like block-style YAML the cutter
 * understands, so the caller can fall back to a full parse.
 */
export function scanCrdSource(text: string): ScannedCrdDocument[] | undefined {
  const lines = text.split(/\r?\n/);
  const kept: string[] = [];
  const blocks: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const match = /^(\s*)openAPIV3Schema:\s*(#.*)?$/.exec(line);
    if (!match) {
      kept.push(line);
      i++;
      continue;
    }
    const keyIndent = match[1].length;
    const body: string[] = [];
    i++;
    while (i < lines.length) {
      const next = lines[i];
      if (next.trim() !== '' && indentOf(next) <= keyIndent) break;
      body.push(next);
      i++;
    }
    kept.push(
      `${match[1]}openAPIV3Schema: ${PLACEHOLDER_PREFIX}${blocks.length}`,
    );
    blocks.push(dedent(body));
  }
  if (blocks.length === 0) return undefined;

  const documents = parseAllDocuments(kept.join('\n'));
  if (!Array.isArray(documents)) return undefined;
  const result: ScannedCrdDocument[] = [];
  for (const doc of documents) {
    if (doc.errors.length > 0) return undefined;
    const header = doc.toJS();
    if (!header || typeof header !== 'object') continue;
    result.push({
      header,
      schemaText(placeholder) {
        if (typeof placeholder !== 'string') return undefined;
        if (!placeholder.startsWith(PLACEHOLDER_PREFIX)) return undefined;
        return blocks[Number(placeholder.slice(PLACEHOLDER_PREFIX.length))];
      },
    });
  }
  return result;
}

/** Full-parse fallback: schemas stay inline, so `schemaText` is never needed. */
export function parseCrdSource(text: string): ScannedCrdDocument[] {
  return parseAllDocuments(text)
    .map(doc => doc.toJS())
    .filter(header => header && typeof header === 'object')
    .map(header => ({ header, schemaText: () => undefined }));
}

/** Parses a schema block cut out by {@link scanCrdSource}. */
export function parseSchemaText(text: string): unknown {
  return parseYaml(text, { maxAliasCount: -1 });
}
