import { KubeObject } from '../store/types';
import { SelectorParseError } from './labelSelector';

/**
 * Field selectors: the sandbox supports the two fields every resource
 * supports upstream, `metadata.name` and `metadata.namespace`, with `=`,
 * `==` and `!=`.
 */
export interface FieldRequirement {
  field: 'metadata.name' | 'metadata.namespace';
  negate: boolean;
  value: string;
}

export function parseFieldSelector(
  selector: string | undefined | null,
): FieldRequirement[] {
  if (!selector) return [];
  return selector
    .split(',')
    .map(p => p.trim())
    .filter(p => p !== '')
    .map(part => {
      const match = /^([A-Za-z.]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
      if (!match) {
        throw new SelectorParseError(
          `invalid selector: '${part}'; can't understand '${part}'`,
        );
      }
      const [, field, operator, value] = match;
      if (field !== 'metadata.name' && field !== 'metadata.namespace') {
        throw new SelectorParseError(`field label not supported: ${field}`);
      }
      return { field, negate: operator === '!=', value };
    });
}

export function matchesFieldSelector(
  requirements: FieldRequirement[],
  object: KubeObject,
): boolean {
  return requirements.every(req => {
    const actual =
      req.field === 'metadata.name'
        ? object.metadata.name
        : object.metadata.namespace ?? '';
    return (actual === req.value) !== req.negate;
  });
}
