/**
 * Reads kubectl's human-readable table output: the header names (split on
 * the 3+ spaces kubectl's tabwriter puts between columns) and, per row, the
 * text under each header (empty for a blank cell).
 */
export interface KubectlTable {
  headers: string[];
  rows: Array<Record<string, string>>;
}

export function parseKubectlTable(stdout: string): KubectlTable {
  const lines = stdout.split('\n').filter(line => line.trim() !== '');
  if (lines.length === 0) return { headers: [], rows: [] };
  const [header, ...body] = lines;
  const headers = header.trim().split(/\s{2,}/);
  const starts: number[] = [];
  let from = 0;
  for (const name of headers) {
    const at = header.indexOf(name, from);
    starts.push(at);
    from = at + name.length;
  }
  const rows = body.map(line =>
    Object.fromEntries(
      headers.map((name, i) => [
        name,
        line.slice(starts[i], starts[i + 1] ?? line.length).trim(),
      ]),
    ),
  );
  return { headers, rows };
}
