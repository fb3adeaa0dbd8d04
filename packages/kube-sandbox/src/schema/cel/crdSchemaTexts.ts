import { ScannedCrdDocument } from '../crdSourceScan';
import { isPlainObject } from '../structuralValidator';
import { CrdKind } from '../types';

/**
 * The YAML text of each CRD version's schema, as the catalogue cut it out
 * of its file (crdSourceScan.ts), kept per kind so that the start-up rule
 * inventory (celRuleReport.ts) does not read and cut the files again.
 */

const documents = new WeakMap<CrdKind, ScannedCrdDocument>();

/** Called by the catalogue for each kind it builds. */
export function rememberCrdDocument(kind: CrdKind, doc: ScannedCrdDocument) {
  documents.set(kind, doc);
}

export function knownCrdDocument(
  kind: CrdKind,
): ScannedCrdDocument | undefined {
  return documents.get(kind);
}

/** The schema text of a version, when the file was cut (not fully parsed). */
export function schemaTextOf(
  doc: ScannedCrdDocument,
  version: string,
): string | undefined {
  const spec = isPlainObject(doc.header.spec) ? doc.header.spec : {};
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  const entry = versions.find(v => isPlainObject(v) && v.name === version);
  const schema = isPlainObject(entry?.schema) ? entry.schema : {};
  return doc.schemaText(schema.openAPIV3Schema);
}
