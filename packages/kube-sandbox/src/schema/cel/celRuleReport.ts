import { readCrdText } from '../crdFiles';
import {
  parseCrdSource,
  scanCrdSource,
  ScannedCrdDocument,
} from '../crdSourceScan';
import { isPlainObject } from '../structuralValidator';
import { CrdCatalog, CrdKind } from '../types';
import { knownCrdDocument, schemaTextOf } from './crdSchemaTexts';
import {
  collectSchemaRules,
  describeSchemaPath,
  scanSchemaTextRules,
  SchemaRules,
} from './schemaRuleScan';
import { compileRule } from './validationRules';

/**
 * The start-up inventory of CEL rules: every `x-kubernetes-validations`
 * rule of every served version of every CRD the catalogue keeps is
 * compiled once (compilation is cached by text, so requests reuse it), and
 * the ones that cannot be evaluated here (a compile error, a function the
 * evaluator lacks) are listed: they are skipped at request time, where the
 * real API server would run them.
 *
 * @public
 */
export interface CelRuleReport {
  /** Rules (counted per CRD version and schema path) that are evaluated. */
  evaluated: number;
  /** Rules that are not evaluated, with the reason. */
  notEvaluated: CelRuleProblem[];
  /** Per `Kind.group/version`: rules evaluated and not evaluated. */
  byVersion: Record<string, { evaluated: number; notEvaluated: number }>;
}

/** @public */
export interface CelRuleProblem {
  /** `Kind.group`, e.g. `HTTPRoute.gateway.networking.k8s.io`. */
  crd: string;
  version: string;
  /** Schema path of the rule's node, e.g. `.spec.rules[*]`. */
  path: string;
  rule: string;
  problem: string;
}

function readDocuments(file: string): ScannedCrdDocument[] {
  const text = readCrdText(file);
  return scanCrdSource(text) ?? parseCrdSource(text);
}

function documentFor(
  documents: ScannedCrdDocument[],
  kind: CrdKind,
): ScannedCrdDocument | undefined {
  return documents.find(doc => {
    const spec = isPlainObject(doc.header.spec) ? doc.header.spec : {};
    const names = isPlainObject(spec.names) ? spec.names : {};
    return spec.group === kind.group && names.kind === kind.kind;
  });
}

/**
 * Every rule of the catalogue's CRDs, per kind and served version: from the
 * schema texts the catalogue kept (or, for a catalogue built elsewhere, the
 * CRD file read again), else from the parsed schema.
 */
export function catalogRules(
  catalog: CrdCatalog,
): { kind: CrdKind; version: string; rules: SchemaRules[] }[] {
  const out: { kind: CrdKind; version: string; rules: SchemaRules[] }[] = [];
  for (const kind of catalog.kinds()) {
    const doc =
      knownCrdDocument(kind) ??
      (kind.sourceFile
        ? documentFor(readDocuments(kind.sourceFile), kind)
        : undefined);
    for (const version of kind.versions.filter(v => v.served)) {
      const text = doc && schemaTextOf(doc, version.name);
      const rules =
        text !== undefined
          ? scanSchemaTextRules(text)
          : collectSchemaRules(kind.schema(version.name));
      out.push({ kind, version: version.name, rules });
    }
  }
  return out;
}

const reports = new Map<string, CelRuleReport>();

/**
 * Compiles every rule of the catalogue's CRDs (once per process and set of
 * CRD files) and reports what cannot be evaluated.
 */
export function celRuleReport(catalog: CrdCatalog): CelRuleReport {
  const key = catalog
    .kinds()
    .map(k => `${k.kind}.${k.group}:${k.sourceFile}`)
    .join('\n');
  const known = reports.get(key);
  if (known) return known;
  const report: CelRuleReport = {
    evaluated: 0,
    notEvaluated: [],
    byVersion: {},
  };
  for (const { kind, version, rules } of catalogRules(catalog)) {
    const crd = `${kind.kind}.${kind.group}`;
    const counts = { evaluated: 0, notEvaluated: 0 };
    for (const { schemaPath, rules: nodeRules } of rules) {
      for (const rule of nodeRules) {
        const { problem } = compileRule(rule);
        if (problem) {
          counts.notEvaluated++;
          report.notEvaluated.push({
            crd,
            version,
            path: describeSchemaPath(schemaPath),
            rule: rule.rule,
            problem,
          });
        } else counts.evaluated++;
      }
    }
    report.evaluated += counts.evaluated;
    if (counts.evaluated + counts.notEvaluated > 0) {
      report.byVersion[`${crd}/${version}`] = counts;
    }
  }
  reports.set(key, report);
  return report;
}

/** The report as log lines: a summary, then one line per rule not evaluated. */
export function celReportLines(report: CelRuleReport): string[] {
  const total = report.evaluated + report.notEvaluated.length;
  return [
    `CEL: ${report.evaluated} of ${total} x-kubernetes-validations rules are evaluated (${report.notEvaluated.length} not)`,
    ...report.notEvaluated.map(
      p =>
        `CEL rule not evaluated: ${p.crd} ${p.version} ${p.path}: ${p.problem}: ${p.rule}`,
    ),
  ];
}
