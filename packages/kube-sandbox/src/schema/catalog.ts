import { BUILTIN_KINDS } from './builtinKinds';
import { rememberCrdDocument } from './cel/crdSchemaTexts';
import {
  defaultCrdDir,
  definitionPreference,
  listCrdFiles,
  readCrdText,
} from './crdFiles';
import {
  parseCrdSource,
  parseSchemaText,
  scanCrdSource,
  ScannedCrdDocument,
} from './crdSourceScan';
import { compareKubeVersions, splitApiVersion } from './kubeVersions';
import { isPlainObject } from './structuralValidator';
import {
  CrdCatalog,
  CrdKind,
  CrdVersion,
  JsonSchemaProps,
  PrinterColumn,
  ValidateOptions,
  ValidationCause,
} from './types';
import { checkResource, unknownFieldCause } from './validateResource';

/** @public */
export interface LoadCrdCatalogOptions {
  /** Receives one line per skipped duplicate or unreadable file. */
  logger?: (line: string) => void;
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json {
  return isPlainObject(value) ? value : {};
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** A version's `additionalPrinterColumns`, keeping entries that name a column and a path. */
function printerColumns(value: unknown): PrinterColumn[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value
    .map(asObject)
    .filter(c => typeof c.name === 'string' && typeof c.jsonPath === 'string')
    .map(c => ({
      name: c.name as string,
      type: typeof c.type === 'string' ? c.type : 'string',
      format: typeof c.format === 'string' ? c.format : undefined,
      description:
        typeof c.description === 'string' ? c.description : undefined,
      priority: typeof c.priority === 'number' ? c.priority : undefined,
      jsonPath: c.jsonPath as string,
    }));
}

/** Builds a kind from one CRD document; schemas are parsed on first use. */
function kindFromDocument(
  doc: ScannedCrdDocument,
  file: string,
): CrdKind | undefined {
  const { header } = doc;
  if (header.kind !== 'CustomResourceDefinition') return undefined;
  const spec = asObject(header.spec);
  const names = asObject(spec.names);
  const rawVersions = Array.isArray(spec.versions)
    ? spec.versions.map(asObject)
    : [];
  if (typeof spec.group !== 'string' || typeof names.kind !== 'string') {
    return undefined;
  }

  const schemaSources = new Map<string, unknown>();
  const versions: CrdVersion[] = rawVersions.map(v => {
    const name = String(v.name);
    schemaSources.set(name, asObject(v.schema).openAPIV3Schema);
    return {
      name,
      served: v.served === true,
      storage: v.storage === true,
      deprecated: v.deprecated === true,
      deprecationWarning:
        typeof v.deprecationWarning === 'string'
          ? v.deprecationWarning
          : undefined,
      hasStatusSubresource: isPlainObject(asObject(v.subresources).status),
      additionalPrinterColumns: printerColumns(v.additionalPrinterColumns),
    };
  });
  versions.sort((a, b) => compareKubeVersions(a.name, b.name));

  const parsedSchemas = new Map<string, JsonSchemaProps | undefined>();
  const kindName = names.kind;
  return {
    group: spec.group,
    kind: kindName,
    listKind:
      typeof names.listKind === 'string' ? names.listKind : `${kindName}List`,
    plural: String(names.plural ?? `${kindName.toLowerCase()}s`),
    singular: String(names.singular ?? kindName.toLowerCase()),
    shortNames: asStrings(names.shortNames),
    categories: asStrings(names.categories),
    scope: spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced',
    versions,
    storageVersion:
      versions.find(v => v.storage)?.name ?? versions[0]?.name ?? '',
    sourceFile: file,
    schema(version) {
      if (!parsedSchemas.has(version)) {
        const source = schemaSources.get(version);
        const text = doc.schemaText(source);
        const parsed = text !== undefined ? parseSchemaText(text) : source;
        parsedSchemas.set(
          version,
          isPlainObject(parsed) ? (parsed as JsonSchemaProps) : undefined,
        );
      }
      return parsedSchemas.get(version);
    },
  };
}

function readCrdFile(file: string): ScannedCrdDocument[] {
  const text = readCrdText(file);
  return scanCrdSource(text) ?? parseCrdSource(text);
}

/**
 * Loads every CustomResourceDefinition under `dir` (default
 * {@link defaultCrdDir}). Only the CRD headers are parsed here; each
 * version's schema is parsed on first use and cached.
 *
 * One definition is kept per group and kind: a file under an
 * `experimental` folder wins over any other copy (Gateway API), and
 * otherwise the first file in sorted path order wins.
 *
 * @public
 */
export function loadCrdCatalog(
  dir: string = defaultCrdDir(),
  options: LoadCrdCatalogOptions = {},
): CrdCatalog {
  const log = options.logger ?? (() => {});
  const byGroupKind = new Map<string, CrdKind>();
  for (const file of listCrdFiles(dir)) {
    let documents: ScannedCrdDocument[];
    try {
      documents = readCrdFile(file);
    } catch (error) {
      log(`skipping unreadable CRD file ${file}: ${error}`);
      continue;
    }
    for (const doc of documents) {
      const kind = kindFromDocument(doc, file);
      if (!kind) continue;
      rememberCrdDocument(kind, doc);
      const key = `${kind.kind}.${kind.group}`;
      const existing = byGroupKind.get(key);
      if (
        existing &&
        definitionPreference(existing.sourceFile) >= definitionPreference(file)
      ) {
        log(`${key}: keeping ${existing.sourceFile}, ignoring ${file}`);
        continue;
      }
      if (existing)
        log(`${key}: preferring ${file} over ${existing.sourceFile}`);
      byGroupKind.set(key, kind);
    }
  }
  const crdKinds = [...byGroupKind.values()].sort(
    (a, b) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind),
  );
  return createCatalog(crdKinds);
}

function servedVersionOf(
  kind: CrdKind,
  version: string,
): CrdVersion | undefined {
  return kind.versions.find(v => v.name === version && v.served);
}

function createCatalog(crdKinds: CrdKind[]): CrdCatalog {
  const everything = [...BUILTIN_KINDS, ...crdKinds];
  const find = (apiVersion: string, kindName: string) => {
    const { group, version } = splitApiVersion(apiVersion);
    return everything.find(
      k =>
        k.group === group && k.kind === kindName && servedVersionOf(k, version),
    );
  };
  return {
    kinds: () => [...crdKinds],
    find,
    validate(obj: unknown, options: ValidateOptions = {}): ValidationCause[] {
      if (!isPlainObject(obj)) {
        return [
          {
            reason: 'FieldValueTypeInvalid',
            field: '<root>',
            message: 'the object must be a mapping',
          },
        ];
      }
      const { apiVersion, kind: kindName } = obj;
      if (typeof apiVersion !== 'string' || typeof kindName !== 'string') {
        const field = typeof apiVersion !== 'string' ? 'apiVersion' : 'kind';
        return [
          { reason: 'FieldValueRequired', field, message: 'Required value' },
        ];
      }
      const kind = find(apiVersion, kindName);
      if (!kind) {
        return [
          {
            reason: 'FieldValueNotSupported',
            field: 'kind',
            message: `no matches for kind "${kindName}" in version "${apiVersion}"`,
          },
        ];
      }
      const result = checkResource(
        kind,
        splitApiVersion(apiVersion).version,
        obj,
      );
      const unknown = options.strict
        ? result.unknownFields.map(unknownFieldCause)
        : [];
      return [...unknown, ...result.causes];
    },
  };
}
