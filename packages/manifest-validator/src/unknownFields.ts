import * as kubernetesClient from '@kubernetes/client-node';
import { ManifestIssue } from './types';

/**
 * Strict field checking for built-in kinds. The generated JSON-schema validators accept any extra
 * property (the Kubernetes OpenAPI document does not forbid them), while the API server with
 * `fieldValidation=Strict` rejects them. The generated models of `@kubernetes/client-node` list every
 * field of every type (`attributeTypeMap`, generated from the same OpenAPI document), so walking an
 * object along them finds the fields Kubernetes does not know.
 */

interface AttributeType {
  baseName: string;
  type: string;
}

interface GeneratedModel {
  getAttributeTypeMap(): AttributeType[];
}

const models = kubernetesClient as unknown as Record<string, unknown>;

function generatedModel(typeName: string): GeneratedModel | undefined {
  const candidate = models[typeName] as Partial<GeneratedModel> | undefined;
  return typeof candidate?.getAttributeTypeMap === 'function'
    ? (candidate as GeneratedModel)
    : undefined;
}

/** `apps/v1` + `Deployment` -> `V1Deployment`; `autoscaling/v2` + `HorizontalPodAutoscaler` -> `V2HorizontalPodAutoscaler`. */
export function modelTypeName(apiVersion: string, kind: string): string {
  const version = apiVersion.split('/').pop() ?? apiVersion;
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

const ARRAY_TYPE = /^Array<(.+)>$/;
const MAP_TYPE = /^\{ \[key: string\]: (.+); \}$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function walk(
  value: unknown,
  typeName: string,
  path: string,
  issues: ManifestIssue[],
): void {
  const arrayOf = ARRAY_TYPE.exec(typeName);
  if (arrayOf) {
    if (Array.isArray(value)) {
      value.forEach((item, index) =>
        walk(item, arrayOf[1], `${path}[${index}]`, issues),
      );
    }
    return;
  }
  const mapOf = MAP_TYPE.exec(typeName);
  if (mapOf) {
    if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        walk(item, mapOf[1], `${path}[${key}]`, issues);
      }
    }
    return;
  }
  const model = generatedModel(typeName);
  // Primitive, free-form (`any`, `object`) or type mismatches: the schema validator reports the latter.
  if (!model || !isPlainObject(value)) return;
  const attributes = new Map(
    model
      .getAttributeTypeMap()
      .map(attribute => [attribute.baseName, attribute]),
  );
  for (const [key, item] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    const attribute = attributes.get(key);
    if (!attribute) {
      issues.push({
        reason: 'UnknownField',
        field,
        message: `unknown field "${field}"`,
      });
    } else {
      walk(item, attribute.type, field, issues);
    }
  }
}

/** Fields of a built-in object that its Kubernetes type does not define. */
export function findUnknownFields(
  obj: Record<string, unknown>,
): ManifestIssue[] {
  const typeName = modelTypeName(String(obj.apiVersion), String(obj.kind));
  if (!generatedModel(typeName)) return [];
  const issues: ManifestIssue[] = [];
  walk(obj, typeName, '', issues);
  return issues;
}
