import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** An action's example: a template with one step calling it (as the template editor shows it). */
export function oneStepExample(
  description: string,
  step: { id: string; name: string; action: string },
  input: Record<string, unknown>,
): TemplateExample {
  return {
    description,
    example: stringify({ steps: [{ ...step, input }] }),
  };
}
