import { isCelError } from '@bufbuild/cel';
import { compileExpression } from '../compileRule';

/** Evaluates an expression in the Kubernetes CEL environment; errors become `error: <message>`. */
function evaluate(expression: string, self?: unknown): unknown {
  const compiled = compileExpression(expression);
  if (!compiled.program) throw new Error(compiled.problem);
  const result = compiled.program(self === undefined ? {} : { self });
  return isCelError(result) ? `error: ${result.message}` : result;
}

describe('Kubernetes CEL libraries', () => {
  it.each([
    // urls.go examples
    ["isURL('https://user:pass@example.com:80/path?query=val#fragment')", true],
    ["isURL('/absolute-path')", true],
    ["isURL('https://a:b:c/')", false],
    ["isURL('../relative-path')", false],
    ["isURL('example.com')", false],
    ["isURL('http://exa mple.com/')", false],
    ["url('/path').getScheme()", ''],
    ["url('https://example.com/').getScheme()", 'https'],
    ["url('HTTPS://example.com/').getScheme()", 'https'],
    ["url('https://example.com:80/').getHost()", 'example.com:80'],
    ["url('https://[::1]:80/').getHost()", '[::1]:80'],
    ["url('https://[::1]:80/').getHostname()", '::1'],
    ["url('https://example.com:80/').getPort()", '80'],
    ["url('https://example.com/').getPort()", ''],
    ["url('https://example.com/path').getEscapedPath()", '/path'],
    ["url('https://example.com').getEscapedPath()", ''],
    [
      "url('https://example.com/p?k1=a&k2=b&k2=c').getQuery()['k2']",
      ['b', 'c'],
    ],
    // ip.go
    ["isIP('10.0.0.1')", true],
    ["isIP('2001:db8::1')", true],
    ["isIP('10.0.0.01')", false],
    ["isIP('::ffff:10.0.0.1')", false],
    ["isIP('fe80::1%eth0')", false],
    ["isIP('example.com')", false],
    ["ip('2001:DB8:0:0:0:0:0:1').family()", 6n],
    ["string(ip('2001:DB8:0:0:0:0:0:1'))", '2001:db8::1'],
    ["ip.isCanonical('2001:db8::1')", true],
    ["ip.isCanonical('2001:DB8::1')", false],
    ["ip('127.0.0.1').isLoopback()", true],
    ["ip('169.254.1.1').isLinkLocalUnicast()", true],
    ["ip('8.8.8.8').isGlobalUnicast()", true],
    ["ip('0.0.0.0').isUnspecified()", true],
    // lists.go
    ['[1, 2, 3].isSorted()', true],
    ["['b', 'a'].isSorted()", false],
    ['[1, 2, 3].sum()', 6n],
    ['[1.5, 2.0].sum()', 3.5],
    ['[3, 1, 2].min()', 1n],
    ["['a', 'c', 'b'].max()", 'c'],
    ['[1, 2, 2, 3].indexOf(2)', 1n],
    ['[1, 2, 2, 3].lastIndexOf(2)', 2n],
    ['[1, 2].indexOf(5)', -1n],
    // regex.go
    ["'abc 123'.find('[0-9]+')", '123'],
    ["'abc'.find('[0-9]+')", ''],
    ["'123 abc 456'.findAll('[0-9]+')", ['123', '456']],
    ["'123 abc 456'.findAll('[0-9]+', 1)", ['123']],
    // strings extension and RE2 matches
    ["'a,b'.split(',')", ['a', 'b']],
    ["'ABC'.lowerAscii() + 'def'.upperAscii()", 'abcDEF'],
    ["'  x '.trim().replace('x', 'y')", 'y'],
    ["['a', 'b'].join('-')", 'a-b'],
    ["'Foo.Bar'.matches('^(?i)foo\\\\.bar$')", true],
    // optionals for optionalOldSelf
    ['optional.of(1).hasValue() && optional.of(1).value() == 1', true],
    ['optional.none().orValue(2)', 2n],
  ])('%s', (expression, expected) => {
    const result = evaluate(expression);
    const plain =
      result && typeof result === 'object' && Symbol.iterator in result
        ? [...(result as Iterable<unknown>)]
        : result;
    expect(plain).toEqual(expected);
  });

  it('fails url() on what isURL refuses, with the Go parser wording', () => {
    expect(evaluate("url('https://a:b:c/')")).toBe(
      'error: URL parse error during conversion from string: parse "https://a:b:c/": invalid port ":c" after host',
    );
    expect(evaluate("ip('1.2.3')")).toMatch(
      /^error: IP Address "1.2.3" parse error during conversion from string/,
    );
    expect(evaluate('[].min()')).toBe('error: min called on empty list');
  });
});

describe('compileExpression', () => {
  it('reports functions the environment lacks, once per expression', () => {
    expect(
      compileExpression('quantity(self).isGreaterThan(quantity("1"))'),
    ).toEqual({
      usesOldSelf: false,
      problem: 'undeclared function: quantity(), <receiver>.isGreaterThan()',
    });
    expect(compileExpression('self.x ==')).toMatchObject({
      problem: expect.stringMatching(/^compile error: /),
    });
  });

  it('knows transition rules and namespaced functions', () => {
    expect(compileExpression('self == oldSelf')).toMatchObject({
      usesOldSelf: true,
      program: expect.any(Function),
    });
    expect(compileExpression('ip.isCanonical(self)').problem).toBeUndefined();
  });
});
