import {
  ManifestIssue,
  ManifestObjectResult,
  ManifestValidationReport,
} from './types';

function issueLine(issue: ManifestIssue): string {
  return `      ${issue.reason}${issue.field ? ` ${issue.field}` : ''}: ${
    issue.message
  }`;
}

function statusOf(object: ManifestObjectResult): string {
  if (object.issues.length > 0) return 'FAIL';
  return object.schemaSource === 'unchecked' ? 'SKIP' : 'ok  ';
}

function originOf(object: ManifestObjectResult): string {
  if (object.schemaSource === 'unchecked')
    return ` (no schema: ${object.schemaOrigin})`;
  if (object.schemaSource === 'unknown') return '';
  return ` [${object.schemaSource}]`;
}

/**
 * Human-readable report: every file and object with how it was checked, each problem under its
 * object, and a closing summary line.
 *
 * @public
 */
export function formatReport(report: ManifestValidationReport): string[] {
  const lines: string[] = [];
  for (const file of report.files) {
    lines.push(
      `${file.file}${
        {
          'helm-values': ' (Helm values: parsed only)',
          'prometheus-config': ' (Prometheus configuration: parsed only)',
          manifests: '',
        }[file.type]
      }`,
    );
    lines.push(...file.issues.map(issueLine));
    for (const object of file.objects) {
      const status = statusOf(object);
      const origin = originOf(object);
      lines.push(
        `  ${status} ${object.apiVersion} ${object.kind} ${object.name}${origin}`,
      );
      lines.push(...object.issues.map(issueLine));
    }
  }
  if (report.referenceIssues.length > 0) {
    lines.push('references');
    for (const issue of report.referenceIssues) {
      lines.push(`  FAIL ${issue.file}: ${issue.object}`);
      lines.push(issueLine(issue));
    }
  }
  const { files, objects, invalidObjects, uncheckedObjects, errors } =
    report.summary;
  lines.push(
    `${files} files, ${objects} objects: ${
      objects - invalidObjects - uncheckedObjects
    } valid, ` +
      `${invalidObjects} invalid, ${uncheckedObjects} without schema; ${errors} errors`,
  );
  return lines;
}
