import { parse as parseYaml } from 'yaml';
import { isPlainObject } from '../structuralValidator';
import { JsonSchemaProps } from '../types';
import { asValidationRules, ValidationRule } from './validationRules';

/**
 * Finding every `x-kubernetes-validations` list of a CRD version and the
 * schema path it sits at. Parsing all vendored schemas takes ~6 s (the
 * KServe ones embed whole PodSpecs), too slow for every sandbox start, so
 * {@link scanSchemaTextRules} reads the block-style YAML text line by line,
 * following keys by indentation, and parses only the small rule blocks.
 * {@link collectSchemaRules} does the same on a parsed schema (the fallback,
 * and the reference the text scan is tested against).
 */

export interface SchemaRules {
  /** Schema keywords from the root, e.g. `['properties', 'spec', 'items']`. */
  schemaPath: string[];
  rules: ValidationRule[];
}

/** `.spec.rules[*].matches` for a schema path, as reports show it. */
export function describeSchemaPath(schemaPath: string[]): string {
  let out = '';
  for (let i = 0; i < schemaPath.length; i++) {
    const step = schemaPath[i];
    if (step === 'properties') out += `.${schemaPath[++i]}`;
    else if (step === 'items') out += '[*]';
    else if (step === 'additionalProperties') out += '{*}';
    else out += `<${step}>`;
  }
  return out || '<root>';
}

/** Walks a parsed schema. */
export function collectSchemaRules(
  schema: JsonSchemaProps | undefined,
  schemaPath: string[] = [],
  out: SchemaRules[] = [],
): SchemaRules[] {
  if (!schema) return out;
  const rules = asValidationRules(schema['x-kubernetes-validations']);
  if (rules.length > 0) out.push({ schemaPath, rules });
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    collectSchemaRules(child, [...schemaPath, 'properties', name], out);
  }
  if (schema.items) {
    collectSchemaRules(schema.items, [...schemaPath, 'items'], out);
  }
  if (isPlainObject(schema.additionalProperties)) {
    collectSchemaRules(
      schema.additionalProperties,
      [...schemaPath, 'additionalProperties'],
      out,
    );
  }
  (schema.allOf ?? []).forEach((branch, i) =>
    collectSchemaRules(branch, [...schemaPath, 'allOf', String(i)], out),
  );
  return out;
}

const RULES_KEY = 'x-kubernetes-validations';
const QUOTED_KEY = /^('(?:[^']|'')*'|"(?:[^"\\]|\\.)*")\s*:(?:\s|$)/;
const SPACE = 32;
const HASH = 35;
const DASH = 45;

interface OpenKey {
  indent: number;
  key: string;
  /** Items seen so far in a block sequence under this key. */
  items: number;
}

interface KeyLine {
  key: string;
  /** Where the text after the colon starts. */
  valueStart: number;
}

/** The mapping key a line holds from `start` (to `end`), if any, without regular expressions for the common case. */
function keyAt(text: string, start: number, end: number): KeyLine | undefined {
  const first = text[start];
  if (first === "'" || first === '"') {
    const match = QUOTED_KEY.exec(text.slice(start, end));
    if (!match) return undefined;
    const quoted = match[1];
    return {
      key:
        first === "'"
          ? quoted.slice(1, -1).replace(/''/g, "'")
          : JSON.parse(quoted),
      valueStart: start + match[0].length,
    };
  }
  let colon = text.indexOf(':', start);
  while (colon >= 0 && colon < end) {
    const next = text.charCodeAt(colon + 1);
    if (colon + 1 >= end || next === SPACE || next === 13) {
      const key = text.slice(start, colon).trimEnd();
      if (key === '' || key.includes(' #')) return undefined;
      return { key, valueStart: colon + 1 };
    }
    colon = text.indexOf(':', colon + 1);
  }
  return undefined;
}

/** Rule blocks already parsed, by text (versions and kinds repeat the same rules). */
const parsedBlocks = new Map<string, ValidationRule[]>();

function parseRuleBlock(block: string): ValidationRule[] {
  let rules = parsedBlocks.get(block);
  if (!rules) {
    rules = asValidationRules(parseYaml(block));
    parsedBlocks.set(block, rules);
  }
  return rules;
}

/**
 * Scans a block-style YAML schema text (as cut by crdSourceScan.ts) in one
 * pass: keys are followed by indentation (a `- key:` line opens a sequence
 * item, named by its index, and a key inside it), lines indented under a
 * key with an inline or block scalar are skipped, and each
 * `x-kubernetes-validations` block is parsed on its own.
 */
export function scanSchemaTextRules(text: string): SchemaRules[] {
  if (!text.includes(RULES_KEY)) return [];
  const out: SchemaRules[] = [];
  const stack: OpenKey[] = [];
  /** Lines indented deeper than this belong to a scalar and are skipped. */
  let scalarIndent = Infinity;
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const lineStart = pos;
    pos = end + 1;
    let i = lineStart;
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    const indent = i - lineStart;
    if (i >= end || text.charCodeAt(i) === HASH || text.charCodeAt(i) === 13) {
      continue;
    }
    if (indent > scalarIndent) continue;
    scalarIndent = Infinity;

    const isItem =
      text.charCodeAt(i) === DASH &&
      (i + 1 >= end || text.charCodeAt(i + 1) === SPACE);
    let keyStart = i;
    if (isItem) {
      keyStart = i + 1;
      while (keyStart < end && text.charCodeAt(keyStart) === SPACE) keyStart++;
      while (stack.length && stack[stack.length - 1].indent > indent) {
        stack.pop();
      }
    }
    const keyIndent = keyStart - lineStart;
    const found = keyStart < end ? keyAt(text, keyStart, end) : undefined;
    if (isItem) {
      const owner = stack[stack.length - 1];
      const index = owner ? owner.items++ : 0;
      if (found)
        stack.push({ indent: indent + 1, key: String(index), items: 0 });
    } else {
      while (stack.length && stack[stack.length - 1].indent >= keyIndent) {
        stack.pop();
      }
    }
    if (!found) {
      // a scalar sequence item, or a plain scalar's continuation
      scalarIndent = indent;
      continue;
    }
    const value = text.slice(found.valueStart, end).trim();
    if (found.key === RULES_KEY) {
      const block: string[] = value ? [value] : [];
      while (pos < text.length) {
        let next = text.indexOf('\n', pos);
        if (next < 0) next = text.length;
        const line = text.slice(pos, next);
        const trimmed = line.trimStart();
        const lineIndent = line.length - trimmed.length;
        if (
          trimmed !== '' &&
          lineIndent <= keyIndent &&
          !(lineIndent === keyIndent && trimmed.startsWith('-'))
        ) {
          break;
        }
        block.push(line.slice(keyIndent));
        pos = next + 1;
      }
      const rules = parseRuleBlock(block.join('\n'));
      if (rules.length > 0) {
        out.push({ schemaPath: stack.map(k => k.key), rules });
      }
      continue;
    }
    if (value !== '' && !value.startsWith('#') && !/^&\S+$/.test(value)) {
      scalarIndent = keyIndent;
    }
    stack.push({ indent: keyIndent, key: found.key, items: 0 });
  }
  return out;
}
