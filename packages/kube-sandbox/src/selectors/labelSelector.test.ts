import { matchesFieldSelector, parseFieldSelector } from './fieldSelector';
import {
  matchesLabelSelector,
  parseLabelSelector,
  SelectorParseError,
} from './labelSelector';

const labels = { app: 'demo', tier: 'llm', 'example.com/team': 'a' };

function matches(
  selector: string,
  l: Record<string, string> | undefined = labels,
) {
  return matchesLabelSelector(parseLabelSelector(selector), l);
}

describe('label selectors', () => {
  it.each([
    ['app=demo', true],
    ['app==demo', true],
    ['app=other', false],
    ['app!=other', true],
    ['app!=demo', false],
    ['missing!=x', true],
    ['tier in (llm, vision)', true],
    ['tier in (vision)', false],
    ['tier notin (vision,audio)', true],
    ['tier notin (llm)', false],
    ['missing notin (llm)', true],
    ['example.com/team', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['app=demo,tier in (llm,x),!missing', true],
    ['app=demo,tier=x', false],
    ['', true],
  ])('%s -> %s', (selector, expected) => {
    expect(matches(selector)).toBe(expected);
  });

  it('treats an empty value as a value', () => {
    expect(matches('app=', { app: '' })).toBe(true);
    expect(matches('app=', {})).toBe(false);
  });

  it('rejects syntax it does not understand', () => {
    expect(() => parseLabelSelector('app in demo')).toThrow(SelectorParseError);
    expect(() => parseLabelSelector('a=b=c')).toThrow(SelectorParseError);
  });
});

describe('field selectors', () => {
  const object = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'a', namespace: 'x' },
  };
  it('matches metadata.name and metadata.namespace', () => {
    expect(
      matchesFieldSelector(parseFieldSelector('metadata.name=a'), object),
    ).toBe(true);
    expect(
      matchesFieldSelector(parseFieldSelector('metadata.name==b'), object),
    ).toBe(false);
    expect(
      matchesFieldSelector(
        parseFieldSelector('metadata.namespace!=y,metadata.name=a'),
        object,
      ),
    ).toBe(true);
  });
  it('rejects other fields', () => {
    expect(() => parseFieldSelector('spec.x=1')).toThrow(
      'field label not supported: spec.x',
    );
  });
});
