/**
 * Small formatters the built-in table printers share, re-expressed from
 * kubernetes pkg/printers/internalversion/printers.go (`layoutContainerCells`)
 * and k8s.io/apimachinery (v0.32) `labels.FormatLabels`,
 * `metav1.FormatLabelSelector` and `labels.Selector.String()`.
 */

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function int(value: unknown, fallback = 0): number {
  return typeof value === 'number' ? Math.trunc(value) : fallback;
}

/** A path of plain keys into a JSON object. */
export function at(value: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((current, key) => obj(current)[key], value);
}

/** `labels.FormatLabels`: `k=v` sorted by key, `<none>` when empty. */
export function formatLabels(value: unknown): string {
  const labels = obj(value);
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '<none>';
  return keys.map(k => `${k}=${str(labels[k])}`).join(',');
}

const OPERATOR_TEXT: Record<string, string> = {
  In: ' in ',
  NotIn: ' notin ',
};

/**
 * `metav1.LabelSelectorAsSelector(s).String()`: requirements sorted by key,
 * `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`; `''` for a missing or
 * empty selector, undefined for an invalid one.
 */
export function labelSelectorString(value: unknown): string | undefined {
  if (value === undefined || value === null) return '';
  const selector = obj(value);
  const requirements: Array<{ key: string; text: string }> = [];
  for (const [key, v] of Object.entries(obj(selector.matchLabels))) {
    requirements.push({ key, text: `${key}=${str(v)}` });
  }
  for (const raw of list(selector.matchExpressions)) {
    const expression = obj(raw);
    const key = str(expression.key);
    const operator = str(expression.operator);
    const values = list(expression.values).map(str).sort();
    if (operator === 'Exists') requirements.push({ key, text: key });
    else if (operator === 'DoesNotExist')
      requirements.push({ key, text: `!${key}` });
    else if (OPERATOR_TEXT[operator] && values.length > 0) {
      requirements.push({
        key,
        text: `${key}${OPERATOR_TEXT[operator]}(${values.join(',')})`,
      });
    } else return undefined;
  }
  return requirements
    .sort((a, b) => Number(a.key > b.key) - Number(a.key < b.key))
    .map(r => r.text)
    .join(',');
}

/** `metav1.FormatLabelSelector`: `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(value: unknown): string {
  const text = labelSelectorString(value);
  if (text === undefined) return '<error>';
  return text === '' ? '<none>' : text;
}

/** `layoutContainerCells`: container names and images, comma-separated. */
export function containerCells(containers: unknown): [string, string] {
  const items = list(containers).map(obj);
  return [
    items.map(c => str(c.name)).join(','),
    items.map(c => str(c.image)).join(','),
  ];
}

/** The template containers of a workload (`spec.template.spec.containers`). */
export function templateContainers(workload: unknown): unknown {
  return at(workload, 'spec', 'template', 'spec', 'containers');
}

/** True when a condition of the given type has status True. */
export function hasTrueCondition(conditions: unknown, type: string): boolean {
  const found = list(conditions)
    .map(obj)
    .find(c => c.type === type);
  return found?.status === 'True';
}
